package target

// Fault is a fault a test injects, and why AWS cannot have it injected.
type Fault struct {
	Name, WhyNotOnAWS string
}

// The faults of the end-to-end tests that AWS offers no way to inject.
var (
	KillWorker        = Fault{"kill a worker", ""}
	RestartBroker     = Fault{"restart the MQTT broker", "IoT Core cannot be restarted by its users"}
	RestartEmulator   = Fault{"restart the emulator", "the services are AWS's, not a container"}
	SkipTime          = Fault{"skip virtual time", "AWS runs on the wall clock"}
	PartitionBroker   = Fault{"cut the broker off from the worker", "a test cannot cut IoT Core's network"}
	InjectServiceFail = Fault{"make a service fail", "AWS's services cannot be told to fail"}
)

// SkipReason is why a test that injects f does not run on the target, or
// "" when it does. Faults on the worker's side (killing, pausing or
// disconnecting its container) work on both targets: the worker is
// ours either way.
func (k Kind) SkipReason(f Fault) string {
	if k != AWS || f.WhyNotOnAWS == "" {
		return ""
	}
	return "TARGET=aws: cannot " + f.Name + ": " + f.WhyNotOnAWS
}

// Skipper is the part of testing.TB that Skip uses.
type Skipper interface {
	Helper()
	Skip(args ...any)
}

// Skip skips t, with its reason, when the target cannot have f injected.
func (k Kind) Skip(t Skipper, f Fault) {
	t.Helper()
	if r := k.SkipReason(f); r != "" {
		t.Skip(r)
	}
}
