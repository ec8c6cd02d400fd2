package target_test

import (
	"context"
	"testing"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/target"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]target.Kind{"": target.Local, "local": target.Local, "aws": target.AWS} {
		if got, err := target.Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := target.Parse("AWS"); err == nil {
		t.Error("Parse(AWS) accepted an unknown target")
	}
}

// TestSkipReason: only faults AWS cannot take skip, each with its reason.
func TestSkipReason(t *testing.T) {
	tests := []struct {
		kind target.Kind
		f    target.Fault
		want string
	}{
		{target.Local, target.RestartBroker, ""},
		{target.AWS, target.KillWorker, ""},
		{target.AWS, target.RestartBroker, "TARGET=aws: cannot restart the MQTT broker: IoT Core cannot be restarted by its users"},
		{target.AWS, target.SkipTime, "TARGET=aws: cannot skip virtual time: AWS runs on the wall clock"},
	}
	for _, tt := range tests {
		if got := tt.kind.SkipReason(tt.f); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.kind, tt.f.Name, got, tt.want)
		}
	}
}

// TestDiscoverLocal: the local target finds the emulator's stack through
// the code path the AWS target uses.
func TestDiscoverLocal(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate("../../template.yaml"))
	d, err := target.Discover(context.Background(), target.Local, srv.AWSConfig(), target.DefaultStack)
	if err != nil || d.Resources.StateMachineArn == "" {
		t.Fatalf("Discover = %+v, %v", d, err)
	}
}
