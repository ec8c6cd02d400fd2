package interp

import (
	"sort"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Inspection is TestState's inspectionData: the state's data at each step
// of its data flow, as JSON texts (nil where the step did not happen).
type Inspection struct {
	Input, AfterInputPath, AfterParameters, AfterArguments *string
	Result, AfterResultSelector, AfterResultPath           *string
	Variables                                              *string
	// Map states (statetest_map.go).
	AfterItemsPath, AfterItemSelector, AfterItemBatcher *string
	MaxConcurrency, ToleratedFailureCount               *int64
	ToleratedFailurePercentage                          *float64
	ErrorDetails                                        *TestErrorDetails
}

// inspect rebuilds the steps of the state's data flow. The task's
// parameters and result are those of the run; the other steps are
// evaluated again, with the Machine's own functions, on a scratch Machine
// that has the variables the state saw.
func (t *StateTest) inspect(res TestResult) Inspection {
	m := t.scratch()
	in := Inspection{Input: text(m.input)}
	if vars := t.variablesAfter(); vars.Len() > 0 {
		in.Variables = text(vars)
	}
	if t.state.Common().QueryLanguage == asl.JSONata {
		in.AfterArguments, in.Result = raw(t.params), raw(t.result)
		return in
	}
	eff, err := m.applyInputPath(t.state.Common().InputPath, m.input)
	if err != nil {
		return in
	}
	in.AfterInputPath = text(eff)
	result, ok := t.inspectParameters(m, eff, &in)
	if !ok {
		return in
	}
	t.inspectResult(m, result, &in)
	return in
}

// scratch is a Machine in the tested state with the variables it saw, to
// evaluate its fields again.
func (t *StateTest) scratch() *Machine {
	m := New(t.m.def, t.setup.Input, t.m.opts)
	if t.setup.Variables != nil {
		m.rootRun.vars.set(t.setup.Variables)
	}
	m.startTime, m.now = t.now, t.now
	m.th.cur = &stateRun{name: t.setup.State, state: t.state, rawInput: m.input, th: m.th, entered: t.now}
	return m
}

// inspectParameters fills the steps between the effective input and the
// result, and returns the result (false when there is none).
func (t *StateTest) inspectParameters(m *Machine, eff any, in *Inspection) (any, bool) {
	switch s := t.state.(type) {
	case *asl.Task:
		in.AfterParameters = raw(t.params)
	case *asl.Pass:
		result := eff
		var err error
		switch {
		case s.Parameters != nil:
			if result, err = s.Parameters.Eval(m.env(eff)); err != nil {
				return nil, false
			}
			in.AfterParameters = text(result)
		case s.HasResult:
			result = s.Result
		}
		in.Result = text(result)
		return result, true
	case *asl.Parallel:
		if s.Parameters != nil {
			if v, err := s.Parameters.Eval(m.env(eff)); err == nil {
				in.AfterParameters = text(v)
			}
		}
	case *asl.Map:
		t.inspectMap(m, s, eff, in)
	default:
		return nil, false
	}
	if t.result == nil {
		return nil, false
	}
	in.Result = raw(t.result)
	v, err := jsonv.Decode(t.result)
	return v, err == nil
}

// inspectResult fills ResultSelector and ResultPath.
func (t *StateTest) inspectResult(m *Machine, result any, in *Inspection) {
	var sel *asl.Template
	var rp asl.IOPath
	switch s := t.state.(type) {
	case *asl.Task:
		sel, rp = s.ResultSelector, s.ResultPath
	case *asl.Pass:
		rp = s.ResultPath
	case *asl.Parallel:
		sel, rp = s.ResultSelector, s.ResultPath
	case *asl.Map:
		sel, rp = s.ResultSelector, s.ResultPath
	}
	if sel != nil {
		v, err := sel.Eval(m.env(result))
		if err != nil {
			return
		}
		result = v
		in.AfterResultSelector = text(v)
	}
	if out, err := m.applyResult(rp, m.input, result); err == nil {
		in.AfterResultPath = text(out)
	}
}

func text(v any) *string {
	s := jsonv.EncodeString(v)
	return &s
}

// raw is a JSON text re-encoded compactly; nil when absent.
func raw(b []byte) *string {
	if b == nil {
		return nil
	}
	s := compact(b)
	return &s
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
