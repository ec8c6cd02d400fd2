package interp

import (
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// This file holds what JSONata states share: the $states variable,
// evaluation with the Machine's injected clock and random sources, Assign
// before Output, and States.QueryEvaluationError (docs/step-functions.md §1.7).

// statesVar builds $states for the current state: input and context
// (result and errorOutput are added where they exist). The context is
// left out when no expression of the definition can read it.
func (m *Machine) statesVar() *jsonv.Object {
	st := jsonv.NewObject(4)
	st.Set("input", m.th.cur.rawInput)
	if !m.def.NoJSONataContext {
		st.Set("context", m.context())
	}
	return st
}

func (m *Machine) jsonataEnv(states any) *asl.JSONataEnv {
	return &asl.JSONataEnv{States: states, Var: m.getVar, Now: m.now, UUID: m.opts.NewUUID, Random: m.opts.Random, Limits: m.limits()}
}

// evalJ evaluates a JSONata field; on failure the state has failed.
func (m *Machine) evalJ(v *asl.JValue, st *jsonv.Object, field string) (any, bool) {
	out, err := v.Eval(m.jsonataEnv(st), field)
	if err != nil {
		m.queryFailed(err, m.th.cur.enteredPrev)
		return nil, false
	}
	return out, true
}

// jsonataResult evaluates Assign, then Output (dflt when absent), both
// against the variables as they were when the state was entered.
func (m *Machine) jsonataResult(assign *asl.Assign, output *asl.JValue, st *jsonv.Object, dflt any) (any, bool) {
	if assign != nil {
		o, err := assign.EvalJSONata(m.jsonataEnv(st))
		if err != nil {
			m.queryFailed(err, m.th.cur.enteredPrev)
			return nil, false
		}
		if !m.recordAssign(o) {
			return nil, false
		}
	}
	if output == nil {
		return dflt, true
	}
	return m.evalJ(output, st, "Output")
}

// jsonataExit leaves a JSONata state through its Assign and Output; the
// default output is the result (Task, Parallel, Map) or the input.
func (m *Machine) jsonataExit(result any, hasResult bool, prev int64) {
	r := m.th.cur
	st := m.statesVar()
	dflt := r.rawInput
	if hasResult {
		st.Set("result", result)
		dflt = result
	}
	b := r.state.Common()
	out, ok := m.jsonataResult(b.Assign, b.Output, st, dflt)
	if ok {
		m.exit(out, prev)
	}
}

// queryFailed logs EvaluationFailed and raises States.QueryEvaluationError,
// which the state's catchers may handle. prev is the event it follows.
func (m *Machine) queryFailed(err error, prev int64) {
	r := m.th.cur
	var qe *asl.QueryError
	if !errors.As(err, &qe) {
		m.runtimeError(err)
		return
	}
	cause := fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", r.name, r.enteredID, qe.Msg)
	id := m.emit(EventEvaluationFailed, prev, &EvaluationFailedDetails{
		Error: string(asl.StatesQueryEvaluationError), Cause: cause, Location: qe.Location, State: r.name,
	})
	e := taskError{Failure: asl.NewFailure(asl.StatesQueryEvaluationError, cause)}
	if _, isMap := r.state.(*asl.Map); isMap && r.fanOut == nil {
		id = m.emit(EventMapStateFailed, id, nil)
	}
	if !r.catching && m.retryQuery(r, e, id) {
		return
	}
	if !r.catching {
		for _, c := range catchersOf(r.state) {
			if e.matches(c.ErrorEquals) {
				m.closeRun(r)
				r.catching = true
				m.catch(c, e, id)
				return
			}
		}
	}
	m.fail(id, e)
}

func catchersOf(st asl.State) []asl.Catcher {
	switch s := st.(type) {
	case *asl.Task:
		return s.Catch
	case *asl.Parallel:
		return s.Catch
	case *asl.Map:
		return s.Catch
	}
	return nil
}

// jsonataInt evaluates a numeric JSONata field that must hold an integer
// of at least lowest.
func (m *Machine) jsonataInt(v *asl.JValue, field string, lowest int64) (int64, bool) {
	out, ok := m.evalJ(v, m.statesVar(), field)
	if !ok {
		return 0, false
	}
	n, isNum := out.(jsonv.Number)
	i, isInt := n.Int()
	if !isNum || !isInt || i < lowest {
		m.queryFailed(v.TypeError(field, "integer", out), m.th.cur.enteredPrev)
		return 0, false
	}
	return i, true
}

// jsonataSeconds evaluates a JSONata TimeoutSeconds or HeartbeatSeconds: a
// positive integer no larger than a definition may state.
func (m *Machine) jsonataSeconds(v *asl.JValue, field string) (int64, bool) {
	i, ok := m.jsonataInt(v, field, 1)
	if ok && i > asl.MaxSeconds {
		m.runtimeError(secondsRangeError(field))
		return 0, false
	}
	return i, ok
}
