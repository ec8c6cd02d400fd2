// Package scenarios runs scenario files: YAML that states a state machine,
// its input, how the worker behaves and what must come out — on virtual
// time when asked, so timeouts and heartbeats take milliseconds.
//
// A scenario runs against a Target. The in-process target (InProcess)
// starts a whole emulator inside the test.
package scenarios

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"
)

// Scenario is one scenario file.
type Scenario struct {
	Name string `yaml:"name"`
	// Template is the SAM template to load, relative to the file.
	Template string `yaml:"template"`
	// StateMachine names a state machine of the template; Definition
	// instead creates one from ASL.
	StateMachine string `yaml:"stateMachine"`
	Definition   string `yaml:"definition"`
	Input        any    `yaml:"input"`
	// Worker is how the worker behaves: "run" (the sample handler),
	// "silent" (connected, never answers) or "none" (no worker).
	Worker string `yaml:"worker"`
	// VirtualTime runs timers on a fake clock that jumps to each next
	// timer while the execution waits.
	VirtualTime bool   `yaml:"virtualTime"`
	Expect      Expect `yaml:"expect"`

	path string
}

// Expect is what the execution must end with.
type Expect struct {
	Status string `yaml:"status"`
	Output any    `yaml:"output"`
	Error  string `yaml:"error"`
	Cause  string `yaml:"cause"`
	// Elapsed is the virtual time the execution took (with VirtualTime).
	Elapsed time.Duration `yaml:"elapsed"`
	// History lists the event types in order.
	History []string `yaml:"history"`
}

// Load reads a scenario file.
func Load(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	var s Scenario
	if err := yaml.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("load scenario %s: %w", path, err)
	}
	s.path = path
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("load scenario %s: %w", path, err)
	}
	return &s, nil
}

func (s *Scenario) validate() error {
	switch {
	case s.Name == "":
		return fmt.Errorf("name is required")
	case (s.StateMachine == "") == (s.Definition == ""):
		return fmt.Errorf("exactly one of stateMachine and definition is required")
	case s.Expect.Status == "":
		return fmt.Errorf("expect.status is required")
	}
	switch s.Worker {
	case "run", "silent", "none":
	case "":
		s.Worker = "none"
	default:
		return fmt.Errorf("worker %q: want run, silent or none", s.Worker)
	}
	return nil
}

// TemplatePath is the template's path, resolved against the file's folder.
func (s *Scenario) TemplatePath() string {
	if s.Template == "" || filepath.IsAbs(s.Template) {
		return s.Template
	}
	return filepath.Join(filepath.Dir(s.path), s.Template)
}

// InputJSON is the execution input as JSON text.
func (s *Scenario) InputJSON() (string, error) {
	if s.Input == nil {
		return "{}", nil
	}
	b, err := json.Marshal(s.Input)
	return string(b), err
}
