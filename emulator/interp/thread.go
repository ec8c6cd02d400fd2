package interp

import (
	"github.com/stepwire/stepwire/emulator/asl"
)

// thread is one line of execution: the execution itself, a Parallel
// branch or a Map iteration. The Machine runs one thread at a time (m.th);
// outside events are routed to the thread whose task or timer they name.
type thread struct {
	scope *asl.Scope
	cur   *stateRun
	// parent is the Map or Parallel state running this thread; nil for the
	// root.
	parent *stateRun
	index  int
	done   bool
	// vars are the workflow variables this thread sees and assigns.
	vars *varScope
	// child is the child execution of a Distributed Map the thread runs
	// in (its events go to that history); nil in the execution itself.
	child *childExec
}

// withThread runs f with th as the current thread.
func (m *Machine) withThread(th *thread, f func()) {
	saved := m.th
	m.th = th
	f()
	m.th = saved
}

// visit calls f for every state run of the running threads, depth first in
// branch order, until f returns true; it returns the thread where f
// stopped.
func visit(th *thread, f func(r *stateRun) bool) *thread {
	if th == nil || th.done || th.cur == nil {
		return nil
	}
	if f(th.cur) {
		return th
	}
	if b := th.cur.fanOut; b != nil {
		for _, c := range b.children {
			if found := visit(c, f); found != nil {
				return found
			}
		}
	}
	return nil
}

// focusTask makes the thread whose task matches pred current and returns
// its task.
func (m *Machine) focusTask(pred func(t *taskRun) bool) *taskRun {
	th := visit(m.root, func(r *stateRun) bool { return r.task != nil && pred(r.task) })
	if th == nil {
		return nil
	}
	m.th = th
	return th.cur.task
}

// closeThread releases what a thread and its children hold (timers,
// tokens) without logging anything: the execution ended.
func (m *Machine) closeThread(th *thread) {
	if th == nil || th.cur == nil {
		return
	}
	if b := th.cur.fanOut; b != nil && b.run != nil {
		m.closeChildExecs(b)
	} else if b != nil {
		for _, c := range b.children {
			m.closeThread(c)
		}
	}
	m.closeRun(th.cur)
	th.cur = nil
	th.done = true
}

// abortThread logs <Type>StateAborted for the state a cut thread is in
// (and, inside it, for whatever its own branches or iterations were doing)
// and releases it.
func (m *Machine) abortThread(th *thread, prev int64) {
	if th == nil || th.done || th.cur == nil {
		return
	}
	r := th.cur
	m.emit(EventStateAborted(r.state.Common().Type), prev, nil)
	if r.fanOut != nil {
		m.abortChildren(r, nil, prev)
	}
	m.closeRun(r)
	th.cur = nil
	th.done = true
}

// fail ends the current thread with an error. At the root the execution
// fails; inside a branch or iteration the enclosing state handles it.
func (m *Machine) fail(prev int64, e taskError) {
	th := m.th
	if th.parent == nil {
		m.finish(StatusFailed, EventExecutionFailed, prev, e.Failure)
		return
	}
	if th.parent.fanOut.run != nil {
		m.childExecFailed(th, prev, e)
		return
	}
	m.childFailed(th, prev, e)
}
