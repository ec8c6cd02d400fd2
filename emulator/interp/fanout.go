package interp

import (
	"github.com/stepwire/stepwire/emulator/asl"
)

// fanOutRun is the progress of a Parallel or Map state: its branches or
// iterations run as child threads, interleaved deterministically. A child
// runs until it waits for the outside world, then the next one starts
// (within MaxConcurrency); children finishing free slots for the pending
// ones, in item order.
type fanOutRun struct {
	isMap  bool
	scopes []*asl.Scope
	// inputs holds each child's input.
	inputs   []any
	children []*thread
	results  []any
	next     int
	running  int
	finished int
	// limit is the concurrency limit; 0 is unlimited.
	limit   int
	active  bool
	pumping bool
	// startedID is the <Type>StateStarted event of the current attempt;
	// prev is the event the next MapIterationStarted follows; last is the
	// latest join (MapIterationSucceeded or a branch's last event).
	startedID, prev, last int64

	retriers   []asl.Retrier
	catchers   []asl.Catcher
	retries    []int64
	retryTimer string
	retryPrev  int64

	// jsonata marks a JSONata state: Output and Assign replace the
	// JSONPath result fields.
	jsonata        bool
	resultSelector *asl.Template
	// dist is set for a Distributed Map: run is the Map Run of the current
	// attempt, batchSizes the items in each child's batch (nil without an
	// ItemBatcher).
	dist       *asl.Distributed
	run        *mapRun
	batchSizes []int64
	// readFail is the failure of the ItemReader's read, which fails the
	// Map Run once it started.
	readFail   *asl.Failure
	resultPath asl.IOPath
	outputPath asl.IOPath
}

// event picks the Map or the Parallel form of one of the fan-out's own
// events.
func (b *fanOutRun) event(mapType, parallelType EventType) EventType {
	if b.isMap {
		return mapType
	}
	return parallelType
}

// startFanOut starts an attempt of the fan-out in state run r (the current
// state of the current thread); prev is the event it follows.
func (m *Machine) startFanOut(r *stateRun, prev int64) {
	b := r.fanOut
	n := len(b.inputs)
	var id int64
	if b.isMap {
		length := n
		if b.dist != nil && b.dist.Reader != nil {
			length = 0 // AWS logs 0 for the items of an ItemReader
		}
		id = m.emit(EventMapStateStarted, prev, &MapStateStartedDetails{Length: length})
	} else {
		id = m.emit(EventParallelStateStarted, prev, nil)
	}
	if m.status != StatusRunning {
		return
	}
	b.children = make([]*thread, n)
	b.results = make([]any, n)
	b.next, b.running, b.finished = 0, 0, 0
	b.active = true
	b.startedID, b.prev, b.last = id, id, id
	if b.dist != nil && !m.openMapRun(r, id) {
		return
	}
	if b.dist != nil {
		if f := b.s3Failure(r.name); f != nil {
			m.failMapRun(r, *f)
			return
		}
	}
	m.pump(r)
}

// pump starts pending children while slots are free and finishes the fan-out
// once every child succeeded. Children completing while it runs only record
// their result: the loop picks up from there.
func (m *Machine) pump(r *stateRun) {
	b := r.fanOut
	if b.pumping {
		return
	}
	b.pumping = true
	for b.active && m.status == StatusRunning && b.next < len(b.inputs) && (b.limit == 0 || b.running < b.limit) {
		i := b.next
		b.next++
		b.running++
		m.startChild(r, i)
	}
	b.pumping = false
	if b.active && m.status == StatusRunning && b.finished == len(b.inputs) {
		m.fanOutSucceeded(r)
	}
}

func (m *Machine) startChild(r *stateRun, i int) {
	b := r.fanOut
	if b.run != nil {
		m.startChildExec(r, i)
		return
	}
	scope := b.scopes[0]
	prev := b.startedID
	if b.isMap {
		prev = m.emit(EventMapIterationStarted, b.prev, &MapIterationDetails{Name: r.name, Index: i})
	} else {
		scope = b.scopes[i]
	}
	child := &thread{scope: scope, parent: r, index: i, vars: &varScope{parent: r.th.vars}, child: r.th.child}
	b.children[i] = child
	m.withThread(child, func() { m.enter(scope.StartAt, b.inputs[i], prev) })
}

// childSucceeded records the output of a branch or iteration that reached
// its end; last is its final event.
func (m *Machine) childSucceeded(th *thread, output any, last int64) {
	r := th.parent
	if r.fanOut.run != nil {
		m.childExecSucceeded(th, output, last)
		return
	}
	th.done, th.cur = true, nil
	m.withThread(r.th, func() {
		b := r.fanOut
		b.results[th.index] = output
		b.running--
		b.finished++
		if b.isMap {
			b.last = m.emit(EventMapIterationSucceeded, last, &MapIterationDetails{Name: r.name, Index: th.index})
			b.prev = last
		} else {
			b.last = last
		}
		m.pump(r)
	})
}

// fanOutSucceeded logs <Type>StateSucceeded and leaves the state with the
// array of results passed through ResultSelector, ResultPath and
// OutputPath.
func (m *Machine) fanOutSucceeded(r *stateRun) {
	b := r.fanOut
	b.active = false
	// A Distributed Map's MapStateExited follows MapRunStarted, not
	// MapRunSucceeded, in every recording since November 2024 (earlier
	// ones show the other; docs/step-functions.md §3.3).
	exitPrev := b.last
	if b.run != nil {
		m.mapRunSucceeded(r)
	}
	id := m.emit(b.event(EventMapStateSucceeded, EventParallelStateSucceeded), b.last, nil)
	if !b.isMap {
		exitPrev = id
	}
	var result any = b.results
	var err error
	if b.jsonata {
		m.jsonataExit(result, true, exitPrev)
		return
	}
	if b.resultSelector != nil {
		if result, err = b.resultSelector.Eval(m.env(result)); err != nil {
			m.runtimeError(err)
			return
		}
	}
	if !m.pathAssign(r.state.Common().Assign, result) {
		return
	}
	out, err := m.applyResult(b.resultPath, r.rawInput, result)
	if err == nil {
		out, err = m.applyOutputPath(b.outputPath, out)
	}
	if err != nil {
		m.runtimeError(err)
		return
	}
	m.exit(out, exitPrev)
}
