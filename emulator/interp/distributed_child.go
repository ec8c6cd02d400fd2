package interp

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// childExec is a child execution of a Map Run: a thread of the Machine
// whose events (and those of the threads it starts) go to a history of
// its own, reported to the driver with each step.
type childExec struct {
	run    *mapRun
	info   ChildExecution
	lastID int64
	// items is how many items its input holds (1 without batching).
	items int64
	dirty bool
	// input and start are its input (decoded) and start time, for the
	// context object's Execution (execCtx, built on first use).
	input   any
	start   time.Time
	execCtx *jsonv.Object
}

// emit appends an event to the child's history and returns its id. A
// child that ended logs nothing more.
func (c *childExec) emit(m *Machine, typ EventType, prev int64, details any) int64 {
	if c.info.Status != StatusRunning && c.lastID > 0 {
		return c.lastID
	}
	c.lastID++
	c.info.Events = append(c.info.Events, HistoryEvent{
		ID: c.lastID, PreviousEventID: prev, Timestamp: m.now, Type: typ, Details: details,
	})
	m.touchChild(c)
	return c.lastID
}

func (m *Machine) touchChild(c *childExec) {
	if !c.dirty {
		c.dirty = true
		m.dirtyChildren = append(m.dirtyChildren, c)
	}
}

// startChildExec starts child execution i of the Distributed Map state r:
// ExecutionStarted in its own history, then the item processor's first
// state. It sees no variables of the parent (AWS "Variable scope").
func (m *Machine) startChildExec(r *stateRun, i int) {
	b := r.fanOut
	run := b.run
	name := m.newUUID()
	qualified := run.info.StateMachineArn
	label := qualified[len(m.opts.StateMachineArn)+1:]
	input := jsonv.EncodeString(b.inputs[i])
	c := &childExec{run: run, items: 1, input: b.inputs[i], start: m.now, info: ChildExecution{
		ExecutionArn:    fmt.Sprintf("arn:aws:states:%s:%s:execution:%s/%s:%s", m.opts.Region, m.opts.Account, m.opts.StateMachineName, label, name),
		Name:            name,
		MapRunArn:       run.info.MapRunArn,
		StateMachineArn: qualified,
		Input:           input,
		Status:          StatusRunning,
	}}
	if b.batchSizes != nil {
		c.items = b.batchSizes[i]
	}
	run.children = append(run.children, c)
	m.touchRun(run)
	scope := b.scopes[0]
	th := &thread{scope: scope, parent: r, index: i, vars: &varScope{}, child: c}
	b.children[i] = th
	m.withThread(th, func() {
		id := m.emit(EventExecutionStarted, 0, &ExecutionStartedDetails{
			Input: &input, InputDetails: notTruncated, RoleArn: m.opts.RoleArn,
		})
		m.enter(scope.StartAt, b.inputs[i], id)
	})
}

// executionContext is the context object's Execution inside the child:
// its own ARN, name, input and start time, and the parent's role (AWS
// "Accessing execution data from the Context object": RedriveCount is
// there for a Standard child, 0 until its Map Run is redriven).
func (c *childExec) executionContext(m *Machine) *jsonv.Object {
	if c.execCtx == nil {
		exec := jsonv.NewObject(6)
		exec.Set("Id", c.info.ExecutionArn)
		exec.Set("Input", c.input)
		exec.Set("StartTime", isoTime(c.start))
		exec.Set("Name", c.info.Name)
		exec.Set("RoleArn", m.opts.RoleArn)
		if !c.run.express {
			exec.Set("RedriveCount", jsonv.IntNumber(0))
		}
		c.execCtx = exec
	}
	return c.execCtx
}

// childExecSucceeded ends a child execution that reached its end (the
// current thread is th) and lets the Map Run go on.
func (m *Machine) childExecSucceeded(th *thread, output any, last int64) {
	c := th.child
	text := jsonv.EncodeString(output)
	m.emit(EventExecutionSucceeded, last, &OutputDetails{Output: &text, OutputDetails: notTruncated})
	c.info.Status, c.info.Output = StatusSucceeded, json.RawMessage(text)
	r := th.parent
	th.done, th.cur = true, nil
	m.withThread(r.th, func() {
		b := r.fanOut
		b.results[th.index] = output
		b.running--
		b.finished++
		m.touchRun(b.run)
		m.pump(r)
	})
}

// childExecFailed ends a child execution with an error: it is one more
// failure of the Map Run, which fails once they exceed its threshold.
func (m *Machine) childExecFailed(th *thread, prev int64, e taskError) {
	c := th.child
	m.emit(EventExecutionFailed, prev, errorDetails(e.Failure))
	c.info.Status, c.info.Failure = StatusFailed, e.Failure
	if th.cur != nil {
		m.closeRun(th.cur)
	}
	r := th.parent
	th.done, th.cur = true, nil
	m.withThread(r.th, func() {
		b := r.fanOut
		b.results[th.index] = failureResult(e.Failure)
		b.running--
		b.finished++
		m.touchRun(b.run)
		if b.run.exceeded() {
			m.failMapRun(r, toleratedFailure)
			return
		}
		m.pump(r)
	})
}

// abortChildExec cuts a running child execution: the state it is in is
// logged as aborted, then ExecutionAborted.
func (m *Machine) abortChildExec(th *thread) {
	c := th.child
	m.withThread(th, func() {
		m.abortThread(th, c.lastID)
		m.emit(EventExecutionAborted, c.lastID, &ErrorDetails{})
	})
	th.done, th.cur = true, nil
	c.info.Status = StatusAborted
	m.touchRun(c.run)
}

// closeChildExecs ends the children of a Distributed Map whose execution
// ended: each running child is aborted, and the run with them.
func (m *Machine) closeChildExecs(b *fanOutRun) {
	for _, th := range b.children {
		if th == nil || th.done {
			continue
		}
		m.closeThread(th)
		c := th.child
		m.withThread(th, func() { m.emit(EventExecutionAborted, c.lastID, &ErrorDetails{}) })
		c.info.Status = StatusAborted
	}
	if b.run.info.Status == MapRunRunning {
		b.run.info.Status = MapRunAborted
	}
	m.touchRun(b.run)
}
