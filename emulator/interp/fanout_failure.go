package interp

import (
	"github.com/stepwire/stepwire/emulator/asl"
)

// childFailed handles a branch or iteration that ended with an error: the
// others are cut (their states logged as aborted), then the Map or Parallel
// state applies its Retry and Catch. prev is the failing child's last event;
// every event of the cut chains to it.
func (m *Machine) childFailed(th *thread, prev int64, e taskError) {
	r := th.parent
	m.withThread(r.th, func() {
		b := r.fanOut
		b.active = false
		m.abortChildren(r, th, prev)
		if b.isMap {
			m.emit(EventMapIterationFailed, prev, &MapIterationDetails{Name: r.name, Index: th.index})
		}
		m.fanOutFailed(r, prev, e)
	})
}

// abortChildren cuts the running children of a fan-out in index order. A
// Map iteration logs MapIterationAborted before the state it was in. The
// failing child (nil when none) logs TaskStateAborted when its error came
// from a Task, as AWS records for Parallel branches.
func (m *Machine) abortChildren(r *stateRun, failing *thread, prev int64) {
	b := r.fanOut
	if b.run != nil {
		m.abortMapRun(r, prev)
		return
	}
	for i, c := range b.children {
		if c == nil || c.done {
			continue
		}
		if c == failing {
			if c.cur != nil {
				if _, isTask := c.cur.state.(*asl.Task); isTask {
					m.emit(EventTaskStateAborted, prev, nil)
				}
				m.closeRun(c.cur)
			}
			c.cur, c.done = nil, true
			continue
		}
		if b.isMap {
			m.emit(EventMapIterationAborted, prev, &MapIterationDetails{Name: r.name, Index: i})
		}
		m.abortThread(c, prev)
	}
}

// fanOutFailed applies the Parallel or Map state's Retry and Catch to a failed attempt.
func (m *Machine) fanOutFailed(r *stateRun, prev int64, e taskError) {
	b := r.fanOut
	if !e.runtime {
		for i, rt := range b.retriers {
			if !e.matches(rt.ErrorEquals) {
				continue
			}
			if b.retries[i] < rt.MaxAttempts {
				delay := m.retryDelay(rt, b.retries[i])
				b.retries[i]++
				b.retryPrev = prev
				b.retryTimer = m.newID("retry")
				m.command(ArmTimer{TimerID: b.retryTimer, At: m.now.Add(delay)})
				return
			}
			break
		}
	}
	id := m.emit(b.event(EventMapStateFailed, EventParallelStateFailed), prev, nil)
	if m.status != StatusRunning {
		return
	}
	if !e.runtime {
		for _, c := range b.catchers {
			if e.matches(c.ErrorEquals) {
				m.catch(c, e, id)
				return
			}
		}
	}
	m.fail(id, e)
}
