package interp

import (
	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// runJSONata runs a state whose query language is JSONata.
func (m *Machine) runJSONata(st asl.State) {
	r := m.th.cur
	r.effInput = r.rawInput
	switch s := st.(type) {
	case *asl.Pass, *asl.Succeed:
		m.jsonataExit(nil, false, r.enteredID)
	case *asl.Choice:
		m.jsonataChoice(s)
	case *asl.Wait:
		m.jsonataWait(s)
	case *asl.Fail:
		m.jsonataFail(s)
	case *asl.Task:
		m.jsonataTask(s)
	case *asl.Parallel:
		m.jsonataParallel(s)
	case *asl.Map:
		m.jsonataMap(s)
	}
}

func (m *Machine) jsonataChoice(s *asl.Choice) {
	st := m.statesVar()
	next, assign, output := s.Default, s.Assign, s.Output
	for _, rule := range s.Choices {
		v, ok := m.evalJ(rule.Condition, st, "Condition")
		if !ok {
			return
		}
		b, isBool := v.(bool)
		if !isBool {
			m.queryFailed(rule.Condition.TypeError("Condition", "boolean", v), m.th.cur.enteredPrev)
			return
		}
		if b {
			next = rule.Next
			if rule.Assign != nil {
				assign = rule.Assign
			}
			if rule.Output != nil {
				output = rule.Output
			}
			break
		}
	}
	if next == "" {
		m.noNextState()
		return
	}
	out, ok := m.jsonataResult(assign, output, st, m.th.cur.rawInput)
	if ok {
		m.exitChoice(out, next)
	}
}

func (m *Machine) jsonataWait(s *asl.Wait) {
	r := m.th.cur
	w := *s
	switch {
	case s.SecondsExpr != nil:
		n, ok := m.jsonataInt(s.SecondsExpr, "Seconds", 0)
		if !ok {
			return
		}
		w.Seconds, w.HasSeconds = n, true
	case s.TimestampExpr != nil:
		v, ok := m.evalJ(s.TimestampExpr, m.statesVar(), "Timestamp")
		if !ok {
			return
		}
		str, _ := v.(string)
		t, valid := asl.ParseTimestamp(str)
		if !valid {
			m.queryFailed(&asl.QueryError{Location: "Timestamp", Msg: "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: " + display(v)}, r.enteredID)
			return
		}
		w.Timestamp, w.HasTimestamp = t, true
	}
	at, err := m.waitUntil(&w, r.rawInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	if !at.After(m.now) {
		m.exitWait()
		return
	}
	r.waitTimer = m.newID("wait")
	m.command(ArmTimer{TimerID: r.waitTimer, At: at})
}

func (m *Machine) jsonataFail(s *asl.Fail) {
	fl := s.Failure
	for _, f := range []struct {
		v     *asl.JValue
		field string
		dst   *string
	}{{s.ErrorExpr, "Error", &fl.Error}, {s.CauseExpr, "Cause", &fl.Cause}} {
		if f.v == nil {
			continue
		}
		v, ok := m.evalJ(f.v, m.statesVar(), f.field)
		if !ok {
			return
		}
		*f.dst = display(v)
	}
	m.fail(m.th.cur.enteredID, taskError{Failure: fl})
}

func (m *Machine) jsonataTask(s *asl.Task) {
	t := newTaskRun(s)
	t.timeout, t.heartbeat = s.TimeoutSeconds, s.HeartbeatSeconds
	ok := true
	if s.TimeoutExpr != nil {
		t.timeout, ok = m.jsonataSeconds(s.TimeoutExpr, "TimeoutSeconds")
	}
	if ok && s.HeartbeatExpr != nil {
		t.heartbeat, ok = m.jsonataSeconds(s.HeartbeatExpr, "HeartbeatSeconds")
	}
	if !ok {
		return
	}
	m.th.cur.task = t
	m.startAttempt(t, m.th.cur.enteredID)
}

// taskArguments evaluates a JSONata Task's Arguments (default: the input).
func (m *Machine) taskArguments(t *taskRun) (any, bool) {
	if t.def.Arguments == nil {
		return m.th.cur.rawInput, true
	}
	return m.evalJ(t.def.Arguments, m.statesVar(), "Arguments")
}

func (m *Machine) jsonataParallel(s *asl.Parallel) {
	r := m.th.cur
	input := r.rawInput
	if s.Arguments != nil {
		var ok bool
		if input, ok = m.evalJ(s.Arguments, m.statesVar(), "Arguments"); !ok {
			return
		}
	}
	inputs := make([]any, len(s.Branches))
	for i := range inputs {
		inputs[i] = input
	}
	r.fanOut = &fanOutRun{scopes: s.Branches, inputs: inputs, jsonata: true,
		retriers: s.Retry, catchers: s.Catch, retries: make([]int64, len(s.Retry))}
	m.startFanOut(r, r.enteredID)
}

func (m *Machine) jsonataMap(s *asl.Map) {
	r := m.th.cur
	var items []any
	var readFail *asl.Failure
	ok := true
	if readsItems(s) {
		items, readFail, ok = m.readerItems(s, nil)
	} else {
		items, ok = m.jsonataItems(s)
	}
	if !ok {
		return
	}
	limit := s.MaxConcurrency
	if s.MaxConcurrencyExpr != nil {
		if limit, ok = m.jsonataInt(s.MaxConcurrencyExpr, "MaxConcurrency", 0); !ok {
			return
		}
	}
	inputs := items
	if s.ItemSelectorJ != nil {
		if inputs, ok = m.jsonataSelect(s.ItemSelectorJ, items); !ok {
			return
		}
	}
	var sizes []int64
	if d := s.Distributed; d != nil && d.Batcher != nil {
		maxItems, maxBytes, batchInput, ok := m.jsonataBatchLimits(d.Batcher)
		if !ok {
			return
		}
		inputs, sizes = batch(inputs, maxItems, maxBytes, batchInput)
	}
	r.fanOut = &fanOutRun{isMap: true, scopes: []*asl.Scope{s.Processor}, inputs: inputs, jsonata: true,
		limit: int(min(limit, 1<<30)), retriers: s.Retry, catchers: s.Catch, retries: make([]int64, len(s.Retry)),
		dist: s.Distributed, batchSizes: sizes, readFail: readFail}
	m.startFanOut(r, r.enteredID)
}

// jsonataItems evaluates Items (default: the state input), which must be
// an array.
func (m *Machine) jsonataItems(s *asl.Map) ([]any, bool) {
	r := m.th.cur
	if s.Items == nil {
		arr, isArr := r.rawInput.([]any)
		if !isArr {
			m.queryFailed(&asl.QueryError{Msg: "Map state input must be an array but was: " + jsonv.EncodeString(r.rawInput)}, r.enteredPrev)
		}
		return arr, isArr
	}
	v, ok := m.evalJ(s.Items, m.statesVar(), "Items")
	if !ok {
		return nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		m.queryFailed(s.Items.TypeError("Items", "array", v), r.enteredPrev)
	}
	return arr, isArr
}

// jsonataSelect builds each iteration's input with ItemSelector, with
// $states.context.Map.Item set.
func (m *Machine) jsonataSelect(sel *asl.JValue, items []any) ([]any, bool) {
	out := make([]any, len(items))
	defer func() { m.item = nil }()
	for i, it := range items {
		m.item = &mapItem{index: i, value: it}
		v, ok := m.evalJ(sel, m.statesVar(), "ItemSelector")
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}
