// Package scenarios runs scenario files: YAML that states a state machine,
// the workers and how each answers its jobs, steps on a timeline (start,
// stop, drain, kill, cut a worker off, publish, advance time, wait) and
// what must come out — on virtual time, so timeouts, heartbeats and
// 24-hour waits take milliseconds. README.md in this folder is the
// format's reference; schema.json is its JSON Schema.
//
// A scenario runs against a Target (target.go), which drives the system
// only through its wire: the Step Functions and IoT APIs and MQTT. The
// in-process target starts a whole emulator inside the process on a fake
// clock; the endpoint target drives an emulator already running, and the
// aws target a deployed stack found through CloudFormation, both on wall
// time (world.go).
package scenarios

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"
)

// Scenario is one scenario file.
type Scenario struct {
	Name string `yaml:"name"`
	// Question is the user's question the scenario answers.
	Question string `yaml:"question"`
	// Template is the SAM template to load, relative to the file.
	Template string `yaml:"template"`
	// StateMachine names a state machine of the template; Definition
	// creates one from ASL, or, with StateMachine, replaces that machine's
	// definition (UpdateStateMachine), so the template's rules about the
	// machine, such as the cancel Lambda's, still apply.
	StateMachine string `yaml:"stateMachine"`
	Definition   string `yaml:"definition"`
	// Input is the input of the execution started when there are no steps.
	Input any `yaml:"input"`
	// Worker is the one-worker shorthand: "run" (the sample handler),
	// "silent" (connected, never answers) or "none".
	Worker string `yaml:"worker"`
	// Workers are the workers, each with its behaviours.
	Workers []WorkerSpec `yaml:"workers"`
	// Policies are IoT policies to create (name → policy document).
	Policies map[string]any `yaml:"policies"`
	// Clients are plain MQTT clients that publish and subscribe.
	Clients []ClientSpec `yaml:"clients"`
	// VirtualTime runs every timer on a fake clock (default true).
	VirtualTime *bool `yaml:"virtualTime"`
	// Targets lists where the scenario can run (default: inprocess), and
	// TargetsWhy why not elsewhere.
	Targets    []string `yaml:"targets"`
	TargetsWhy string   `yaml:"targetsWhy"`
	// Pending, when set, says why the scenario cannot run yet; it is
	// skipped.
	Pending string `yaml:"pending"`
	// IdleLimit is how long (wall clock) the system may sit with nothing
	// in flight and no timer to jump to before the scenario fails.
	IdleLimit time.Duration `yaml:"idleLimit"`
	// Golden, when false, keeps no golden transcript: for scenarios whose
	// history order is not deterministic (a Map's iterations).
	Golden *bool  `yaml:"golden"`
	Steps  []Step `yaml:"steps"`
	Expect Expect `yaml:"expect"`

	path string
	node *yaml.Node
}

// WorkerSpec is one worker: a stepwire worker process with its thing and
// certificate, answering each job as its behaviours say.
type WorkerSpec struct {
	Name string `yaml:"name"`
	// Thing is the IoT thing and MQTT client ID (default
	// mqtt-container-client), Policy the policy its certificate carries
	// (default OnPremContainer).
	Thing  string `yaml:"thing"`
	Policy string `yaml:"policy"`
	// Subscribe and Submit are the job and result topics (default
	// tenant1/to/worker and tenant1/to/lambda).
	Subscribe string `yaml:"subscribe"`
	Submit    string `yaml:"submit"`
	// Activity, when set, makes the worker poll GetActivityTask on this
	// activity (created for the run; a definition names it
	// ${activity:NAME}) and answer with SendTask* calls, instead of taking
	// jobs over MQTT.
	Activity string `yaml:"activity"`
	// Heartbeats, when false, stops the worker from heartbeating the jobs
	// that ask for heartbeats (worker.Config.NoHeartbeats).
	Heartbeats *bool `yaml:"heartbeats"`
	// Stopped leaves the worker down until a restart step.
	Stopped bool `yaml:"stopped"`
	// DrainTimeout and MaxConcurrent configure the worker (0: defaults).
	DrainTimeout  time.Duration `yaml:"drainTimeout"`
	MaxConcurrent int           `yaml:"maxConcurrent"`
	// Jobs are the behaviours of the first, second, ... job the worker
	// takes; ByType by job type; Default for the rest (default: run).
	Jobs    []Behaviour          `yaml:"jobs"`
	ByType  map[string]Behaviour `yaml:"byType"`
	Default *Behaviour           `yaml:"default"`
}

// Behaviour is how a worker answers one job.
type Behaviour struct {
	// Do is run (the sample's handler), succeed, fail, hang or crash.
	Do string `yaml:"do"`
	// Result is the value of succeed; Error and Cause the failure of fail.
	Result any    `yaml:"result"`
	Error  string `yaml:"error"`
	Cause  string `yaml:"cause"`
	// Takes is the virtual time before the outcome (or the crash).
	Takes time.Duration `yaml:"takes"`
	// Progress values are reported spread over Takes.
	Progress []any `yaml:"progress"`
	// Disconnect cuts the worker off the broker mid-job for a while.
	Disconnect *Outage `yaml:"disconnect"`
	// Twice sends the result a second time; Malformed sends a message
	// that is not JSON instead of the result.
	Twice     bool `yaml:"twice"`
	Malformed bool `yaml:"malformed"`
	// IgnoreCancel keeps working through a cancel until Takes has passed.
	IgnoreCancel bool `yaml:"ignoreCancel"`
	// Heartbeat, when false, sends no heartbeats for this job though it
	// asks for them (worker.StopHeartbeats).
	Heartbeat *bool `yaml:"heartbeat"`
}

// Outage is a worker cut off the broker After into the job, For a while.
type Outage struct {
	After time.Duration `yaml:"after"`
	For   time.Duration `yaml:"for"`
}

// ClientSpec is a plain MQTT client with a thing's certificate.
type ClientSpec struct {
	Name      string   `yaml:"name"`
	Thing     string   `yaml:"thing"`
	Policy    string   `yaml:"policy"`
	Subscribe []string `yaml:"subscribe"`
}

// Step is one step of the timeline; exactly one field is set.
type Step struct {
	Start   *StartStep   `yaml:"start"`
	Stop    *StopStep    `yaml:"stop"`
	Sigterm string       `yaml:"sigterm"`
	Kill    string       `yaml:"kill"`
	Restart string       `yaml:"restart"`
	Cut     string       `yaml:"cut"`
	Restore string       `yaml:"restore"`
	Publish *PublishStep `yaml:"publish"`
	// Advance moves virtual time forward, letting everything due happen.
	Advance time.Duration `yaml:"advance"`
	Wait    *WaitStep     `yaml:"wait"`
	// Expect is checked at this point of the timeline.
	Expect *Expect `yaml:"expect"`
	// RestartEmulator stops the emulator and starts a new one on its
	// state file, clock and addresses (in-process target only).
	RestartEmulator *RestartEmulatorStep `yaml:"restartEmulator"`

	line int
}

// StartStep starts an execution.
type StartStep struct {
	// Name is the execution's name (also how later steps refer to it).
	Name         string `yaml:"name"`
	Input        any    `yaml:"input"`
	StateMachine string `yaml:"stateMachine"`
}

// RestartEmulatorStep restarts the emulator: "true" stops it gracefully,
// as SIGTERM does; {kill: true} kills it, its state file as its last
// commit left it.
type RestartEmulatorStep struct {
	Kill bool `yaml:"kill"`
}

// UnmarshalYAML accepts true as well as {kill: ...}.
func (r *RestartEmulatorStep) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		var on bool
		if err := n.Decode(&on); err != nil || !on {
			return fmt.Errorf("line %d: restartEmulator is true or {kill: true}", n.Line)
		}
		*r = RestartEmulatorStep{}
		return nil
	}
	type plain RestartEmulatorStep
	return n.Decode((*plain)(r))
}

// StopStep stops an execution (StopExecution).
type StopStep struct {
	Execution string `yaml:"execution"`
	Error     string `yaml:"error"`
	Cause     string `yaml:"cause"`
}

// PublishStep publishes one MQTT message as a client (default: the
// observer, which may publish anywhere).
type PublishStep struct {
	As      string `yaml:"as"`
	Topic   string `yaml:"topic"`
	Payload any    `yaml:"payload"`
	// Raw is sent as is instead of Payload.
	Raw string `yaml:"raw"`
	// Denied expects the broker to refuse the publish.
	Denied bool `yaml:"denied"`
}

// WaitStep lets time pass until a condition holds, for at most Within of
// virtual time.
type WaitStep struct {
	Until  Condition     `yaml:"until"`
	Within time.Duration `yaml:"within"`
}

// Condition is something the timeline can wait for.
type Condition struct {
	Execution string `yaml:"execution"`
	// Status of the execution, or Event: a history event type seen Count
	// times (default 1).
	Status string `yaml:"status"`
	Event  string `yaml:"event"`
	Count  int    `yaml:"count"`
	// Log: a worker's log event.
	Log *LogExpect `yaml:"log"`
}

// Expect is what must hold about an execution and the world around it.
type Expect struct {
	// Execution names the execution (default: the first started).
	Execution string `yaml:"execution"`
	Status    string `yaml:"status"`
	Output    any    `yaml:"output"`
	Error     string `yaml:"error"`
	Cause     string `yaml:"cause"`
	// Elapsed is the virtual time from the execution's start to its end;
	// At the virtual time of its end since the scenario began; Within an
	// upper bound on Elapsed.
	Elapsed time.Duration `yaml:"elapsed"`
	At      time.Duration `yaml:"at"`
	Within  time.Duration `yaml:"within"`
	// History lists every event type in order; Events lists some, in
	// order, with fields of their details.
	History []string      `yaml:"history"`
	Events  []EventExpect `yaml:"events"`
	// MQTT lists messages seen on topics; Logs, worker log events.
	MQTT []MQTTExpect `yaml:"mqtt"`
	Logs []LogExpect  `yaml:"logs"`
	// Executions are expectations about other executions, by name.
	Executions map[string]Expect `yaml:"executions"`
}

// EventExpect is a history event of a type whose details hold Fields.
type EventExpect struct {
	Type   string         `yaml:"type"`
	Fields map[string]any `yaml:"fields"`
}

// MQTTExpect is a message on Topic (MQTT filter) whose JSON payload holds
// Payload, seen by Client (default: the observer); Count, when set, is the
// exact number of such messages.
type MQTTExpect struct {
	Client  string `yaml:"client"`
	Topic   string `yaml:"topic"`
	Payload any    `yaml:"payload"`
	Count   *int   `yaml:"count"`
}

// LogExpect is a log event of a worker (or, with Function, of a Lambda):
// Event is the record's message or its hop name; Fields, attributes it
// carries; Count, when set, the exact number of such events.
type LogExpect struct {
	Worker   string            `yaml:"worker"`
	Function string            `yaml:"function"`
	Event    string            `yaml:"event"`
	Fields   map[string]string `yaml:"fields"`
	Count    *int              `yaml:"count"`
}

// heartbeats reports whether the worker heartbeats the jobs that ask.
func (w WorkerSpec) heartbeats() bool { return w.Heartbeats == nil || *w.Heartbeats }

// Path is the file the scenario was loaded from.
func (s *Scenario) Path() string { return s.path }

// Virtual reports whether the scenario runs on virtual time.
func (s *Scenario) Virtual() bool { return s.VirtualTime == nil || *s.VirtualTime }

// TemplatePath is the template's path, resolved against the file's folder.
func (s *Scenario) TemplatePath() string {
	if s.Template == "" || filepath.IsAbs(s.Template) {
		return s.Template
	}
	return filepath.Join(filepath.Dir(s.path), s.Template)
}

// InputJSON is the execution input as JSON text.
func (s *Scenario) InputJSON() (string, error) { return jsonText(s.Input) }

func jsonText(v any) (string, error) {
	if v == nil {
		return "{}", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}
