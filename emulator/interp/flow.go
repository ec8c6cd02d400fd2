package interp

import (
	"errors"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// stateRun is the state the execution is in.
type stateRun struct {
	name      string
	state     asl.State
	enteredID int64
	entered   time.Time
	rawInput  any
	effInput  any
	// waitTimer is armed by a Wait state.
	waitTimer string
	task      *taskRun
	// fanOut runs the branches or iterations of a Parallel or Map state.
	fanOut *fanOutRun
	// th is the thread the state runs in.
	th *thread
	// enteredPrev is the previousEventId of the StateEntered event.
	enteredPrev int64
	// catching is set while a catcher builds the output: its own
	// failures are not caught again.
	catching bool
	// assigned holds the variables the state assigns when it exits.
	assigned *jsonv.Object
}

// enter enters the named state with input; prev is the previousEventId.
func (m *Machine) enter(name string, input any, prev int64) {
	st := m.th.scope.States[name]
	b := st.Common()
	text := jsonv.EncodeString(input)
	id := m.emit(EventStateEntered(b.Type), prev, &StateEnteredDetails{
		Name: name, Input: &text, InputDetails: notTruncated,
	})
	if m.status != StatusRunning {
		return
	}
	m.th.cur = &stateRun{name: name, state: st, enteredID: id, entered: m.now, rawInput: input, th: m.th, enteredPrev: prev}
	if b.QueryLanguage == asl.JSONata {
		m.runJSONata(st)
		return
	}
	switch s := st.(type) {
	case *asl.Pass:
		m.runPass(s)
	case *asl.Choice:
		m.runChoice(s)
	case *asl.Wait:
		m.runWait(s)
	case *asl.Succeed:
		m.runSucceed(s)
	case *asl.Fail:
		m.runFail(s)
	case *asl.Task:
		m.runTask(s)
	case *asl.Parallel:
		m.runParallel(s)
	case *asl.Map:
		m.runMap(s)
	}
}

// exit emits <Type>StateExited and moves on to the next state or ends the
// execution.
func (m *Machine) exit(output any, prev int64) {
	b := m.th.cur.state.Common()
	text := jsonv.EncodeString(output)
	if len(text) > MaxPayloadBytes {
		m.fail(prev, uncatchable(asl.StatesDataLimitExceeded,
			fmt.Sprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", b.Name)))
		return
	}
	id := m.emitExited(b.Type, prev, text)
	m.th.cur = nil
	if m.status != StatusRunning {
		return
	}
	if b.End || b.Type == "Succeed" {
		if m.th.parent != nil {
			m.childSucceeded(m.th, output, id)
			return
		}
		m.succeed(output, id)
		return
	}
	m.enter(b.Next, output, id)
}

// emitExited logs <typ>StateExited for the current state with its
// assigned variables, which take effect now.
func (m *Machine) emitExited(typ string, prev int64, output string) int64 {
	r := m.th.cur
	d := &StateExitedDetails{Name: r.name, Output: &output, OutputDetails: notTruncated}
	if r.assigned != nil && r.assigned.Len() > 0 {
		d.AssignedVariables, d.AssignedVariablesDetails = assignedDetails(r.assigned), notTruncated
		m.th.vars.set(r.assigned)
		r.assigned = nil
	}
	return m.emit(EventStateExited(typ), prev, d)
}

// runtimeError fails the execution with States.Runtime, citing the state.
func (m *Machine) runtimeError(err error) {
	cause := fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s",
		m.th.cur.name, m.th.cur.enteredID, err.Error())
	m.fail(m.lastIDHere(), uncatchable(asl.StatesRuntime, cause))
}

// noNextState fails the execution of a Choice whose rules all missed and
// that has no Default (docs/step-functions.md §1.2: reported as States.Runtime).
func (m *Machine) noNextState() {
	m.runtimeError(errors.New("Failed to transition out of the state. The state does not point to a next state."))
}

// closeRun releases what a state run holds (timers, token, a fan-out's
// retry timer).
func (m *Machine) closeRun(r *stateRun) {
	if r.waitTimer != "" {
		m.command(CancelTimer{TimerID: r.waitTimer})
		r.waitTimer = ""
	}
	if r.task != nil {
		m.closeAttempt(r.task)
	}
	if r.fanOut != nil && r.fanOut.retryTimer != "" {
		m.command(CancelTimer{TimerID: r.fanOut.retryTimer})
		r.fanOut.retryTimer = ""
	}
}

func (m *Machine) runPass(s *asl.Pass) {
	eff, err := m.applyInputPath(s.InputPath, m.th.cur.rawInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	result := eff
	switch {
	case s.Parameters != nil:
		if result, err = s.Parameters.Eval(m.env(eff)); err != nil {
			m.runtimeError(err)
			return
		}
	case s.HasResult:
		result = s.Result
	}
	if !m.pathAssign(s.Assign, result) {
		return
	}
	out, err := m.applyResult(s.ResultPath, m.th.cur.rawInput, result)
	if err == nil {
		out, err = m.applyOutputPath(s.OutputPath, out)
	}
	if err != nil {
		m.runtimeError(err)
		return
	}
	m.exit(out, m.th.cur.enteredID)
}

func (m *Machine) runChoice(s *asl.Choice) {
	eff, err := m.applyInputPath(s.InputPath, m.th.cur.rawInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	env := m.env(eff)
	next, assign := s.Default, s.Assign
	for _, r := range s.Choices {
		ok, err := r.Match(env)
		if err != nil {
			m.runtimeError(err)
			return
		}
		if ok {
			next = r.Next
			if r.Assign != nil {
				assign = r.Assign
			}
			break
		}
	}
	if next == "" {
		m.noNextState()
		return
	}
	if !m.pathAssign(assign, eff) {
		return
	}
	out, err := m.applyOutputPath(s.OutputPath, eff)
	if err != nil {
		m.runtimeError(err)
		return
	}
	m.exitChoice(out, next)
}

// exitChoice is exit for a Choice, whose Next comes from the matched rule.
func (m *Machine) exitChoice(output any, next string) {
	text := jsonv.EncodeString(output)
	id := m.emitExited("Choice", m.th.cur.enteredID, text)
	m.th.cur = nil
	if m.status == StatusRunning {
		m.enter(next, output, id)
	}
}

func (m *Machine) runSucceed(s *asl.Succeed) {
	eff, err := m.applyInputPath(s.InputPath, m.th.cur.rawInput)
	if err == nil && !m.pathAssign(s.Assign, eff) {
		return
	}
	if err == nil {
		eff, err = m.applyOutputPath(s.OutputPath, eff)
	}
	if err != nil {
		m.runtimeError(err)
		return
	}
	m.exit(eff, m.th.cur.enteredID)
}

func (m *Machine) runFail(s *asl.Fail) {
	fl := s.Failure
	env := m.env(m.th.cur.rawInput)
	for _, f := range []struct {
		expr  *asl.Expr
		field string
		dst   *string
		has   *bool
	}{{s.ErrorPath, "ErrorPath", &fl.Error, &fl.HasError}, {s.CausePath, "CausePath", &fl.Cause, &fl.HasCause}} {
		if f.expr == nil {
			continue
		}
		v, err := f.expr.Eval(env, f.field)
		if err != nil {
			m.runtimeError(err)
			return
		}
		str, ok := v.(string)
		if !ok {
			str = jsonv.EncodeString(v)
		}
		*f.dst, *f.has = str, true
	}
	m.fail(m.th.cur.enteredID, taskError{Failure: fl})
}
