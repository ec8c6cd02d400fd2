package interp

import (
	"fmt"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// MaxAssignBytes is the most a single state may assign (the JSON text of
// its assigned values, UTF-8 bytes), and MaxVariableBytes the limit of
// one variable.
const (
	MaxAssignBytes   = 262144
	MaxVariableBytes = 262144
)

// varScope holds the workflow variables of a thread. A Parallel branch or
// Map iteration gets a scope of its own whose parent is the enclosing
// thread's: it reads outer variables and assigns only its own.
type varScope struct {
	vals   map[string]any
	parent *varScope
}

func (s *varScope) get(name string) (any, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vals[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func (s *varScope) set(o *jsonv.Object) {
	if s.vals == nil {
		s.vals = make(map[string]any, o.Len())
	}
	for _, m := range o.Members {
		s.vals[m.Key] = m.Value
	}
}

// getVar reads a variable visible to the current thread.
func (m *Machine) getVar(name string) (any, bool) { return m.th.vars.get(name) }

// assignedDetails renders assigned variables for the StateExited event.
func assignedDetails(o *jsonv.Object) map[string]string {
	out := make(map[string]string, o.Len())
	for _, mb := range o.Members {
		out[mb.Key] = jsonv.EncodeString(mb.Value)
	}
	return out
}

// pathAssign evaluates a JSONPath state's Assign with $ the state result
// and records it on the state run; false means the state failed.
func (m *Machine) pathAssign(a *asl.Assign, result any) bool {
	if a == nil {
		return true
	}
	o, err := a.EvalPath(m.env(result))
	if err != nil {
		m.runtimeError(err)
		return false
	}
	return m.recordAssign(o)
}

// recordAssign checks the size limits (each variable's value, then the
// state's whole assignment; 256 KiB each per the workflow-variables docs,
// docs/step-functions.md §1.7) and keeps the assignment until the state exits.
// The causes are stepwire's own: AWS's texts are not recorded.
func (m *Machine) recordAssign(o *jsonv.Object) bool {
	if o == nil {
		o = jsonv.NewObject(0)
	}
	for _, mb := range o.Members {
		if n := len(jsonv.Encode(mb.Value)); n > MaxVariableBytes {
			m.runtimeError(fmt.Errorf("The value of the variable '%s' exceeds the maximum size of %d bytes: %d bytes.", mb.Key, MaxVariableBytes, n))
			return false
		}
	}
	if n := len(jsonv.Encode(o)); n > MaxAssignBytes {
		m.runtimeError(fmt.Errorf("The variables assigned by the state exceed the maximum size of %d bytes: %d bytes.", MaxAssignBytes, n))
		return false
	}
	m.th.cur.assigned = o
	return true
}
