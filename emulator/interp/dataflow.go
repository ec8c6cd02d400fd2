package interp

import (
	"fmt"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// pathError is a path that selects nothing, worded as if its last step
// were missing; pathMiss words it from the document read.
func pathError(p *jsonpath.Path) error {
	return fmt.Errorf("Invalid path '%s' : No results for path: %s", p.Text, p.Bracketed())
}

// pathMiss is the States.Runtime cause for p selecting nothing in doc (or
// in the context object or variable it reads): "Missing property in path"
// or "No results for path", as jsonpath.Path.Miss explains.
func (m *Machine) pathMiss(p *jsonpath.Path, doc any) error {
	switch {
	case p.Context:
		doc = m.context()
	case p.Var != "":
		v, ok := m.getVar(p.Var)
		if !ok {
			return pathError(p)
		}
		doc = v
	}
	return fmt.Errorf("Invalid path '%s' : %s", p.Text, p.Miss(doc))
}

// lookup reads p from doc (or the context object for $$ paths).
func (m *Machine) lookup(p *jsonpath.Path, doc any) (any, bool) {
	switch {
	case p.Context:
		return p.Get(m.context())
	case p.Var != "":
		v, ok := m.getVar(p.Var)
		if !ok {
			return nil, false
		}
		return p.Get(v)
	}
	return p.Get(doc)
}

// applyInputPath selects the effective input: absent → input, null → {}.
func (m *Machine) applyInputPath(p asl.IOPath, input any) (any, error) {
	return m.selectPath(p, input)
}

// applyOutputPath selects the state output: absent → doc, null → {}.
func (m *Machine) applyOutputPath(p asl.IOPath, doc any) (any, error) {
	return m.selectPath(p, doc)
}

func (m *Machine) selectPath(p asl.IOPath, doc any) (any, error) {
	switch {
	case p.Null:
		return jsonv.NewObject(0), nil
	case p.Path == nil:
		return doc, nil
	}
	v, ok := m.lookup(p.Path, doc)
	if !ok {
		return nil, m.pathMiss(p.Path, doc)
	}
	return v, nil
}

// applyResult places result into the raw input per ResultPath: absent → the
// result, null → the raw input unchanged.
func (m *Machine) applyResult(p asl.IOPath, raw, result any) (any, error) {
	switch {
	case p.Null:
		return raw, nil
	case p.Path == nil:
		return result, nil
	}
	return p.Path.Set(raw, result)
}

// env returns the evaluation environment for templates over input.
func (m *Machine) env(input any) *asl.Env {
	return &asl.Env{Input: input, Context: m.context(), UUID: m.opts.NewUUID, Random: m.opts.Random, Var: m.getVar, Limits: m.limits()}
}

// limits are the evaluation budgets of Options.
func (m *Machine) limits() budget.Limits {
	return budget.Limits{Steps: m.opts.MaxEvalSteps, Bytes: m.opts.MaxEvalBytes, Interrupt: m.opts.Interrupt}
}

// context builds the context object ($$) for the current state.
func (m *Machine) context() any {
	if m.execCtx == nil {
		m.execCtx, m.smCtx = m.executionContext()
	}
	ctx := jsonv.NewObject(4)
	if c := m.th.child; c != nil {
		ctx.Set("Execution", c.executionContext(m))
	} else {
		ctx.Set("Execution", m.execCtx)
	}
	ctx.Set("StateMachine", m.smCtx)
	if m.th.cur != nil {
		st := jsonv.NewObject(3)
		st.Set("Name", m.th.cur.name)
		st.Set("EnteredTime", isoTime(m.th.cur.entered))
		if t := m.th.cur.task; t != nil {
			st.Set("RetryCount", jsonv.IntNumber(int64(t.attempt)))
		}
		ctx.Set("State", st)
		if m.item != nil {
			ctx.Set("Map", m.item.context())
		}
		if t := m.th.cur.task; t != nil && t.token != "" {
			task := jsonv.NewObject(1)
			task.Set("Token", t.token)
			ctx.Set("Task", task)
		}
	}
	return ctx
}

// executionContext builds the context object's Execution and
// StateMachine, once per execution (values are immutable once built).
func (m *Machine) executionContext() (exec, sm *jsonv.Object) {
	exec = jsonv.NewObject(6)
	exec.Set("Id", m.opts.ExecutionArn)
	exec.Set("Input", m.input)
	exec.Set("StartTime", isoTime(m.startTime))
	exec.Set("Name", m.opts.ExecutionName)
	exec.Set("RoleArn", m.opts.RoleArn)
	if m.def.Type != asl.TypeExpress {
		m.setRedriveContext(exec)
	}
	sm = jsonv.NewObject(2)
	sm.Set("Id", m.opts.StateMachineArn)
	sm.Set("Name", m.opts.StateMachineName)
	return exec, sm
}
