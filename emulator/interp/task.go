package interp

import (
	"fmt"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// taskRun is the progress of a Task state across its attempts.
type taskRun struct {
	def      *asl.Task
	callback bool
	// legacy is set for direct Lambda ARNs, which log LambdaFunction*
	// events instead of Task* events.
	legacy bool
	// activity is set for activity ARNs, which log Activity* events and
	// start their clocks when a worker takes the task.
	activity               bool
	resourceType, resource string
	timeout, heartbeat     int64
	// attempt counts retries so far (0 on the first attempt).
	attempt int
	retries []int64

	taskID  string
	token   string
	invoked bool
	// pending holds a callback outcome that arrived before TaskInvoked.
	pending Event

	timeoutTimer, heartbeatTimer, retryTimer string
	// lastEvent is the previous event for the next attempt or exit.
	lastEvent int64
}

func newTaskRun(s *asl.Task) *taskRun {
	t := &taskRun{def: s, retries: make([]int64, len(s.Retry))}
	t.callback = strings.HasSuffix(s.Resource, ".waitForTaskToken")
	t.legacy = strings.HasPrefix(s.Resource, "arn:aws:lambda:")
	t.activity = isActivity(s.Resource)
	t.callback = t.callback || t.activity
	rest := s.Resource
	if i := strings.Index(rest, ":::"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 && !t.legacy {
		t.resourceType, t.resource = rest[:i], rest[i+1:]
	} else {
		t.resourceType, t.resource = "", s.Resource
	}
	return t
}

func (m *Machine) runTask(s *asl.Task) {
	eff, err := m.applyInputPath(s.InputPath, m.th.cur.rawInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	t := newTaskRun(s)
	t.timeout, t.heartbeat = s.TimeoutSeconds, s.HeartbeatSeconds
	if s.TimeoutSecondsPath != nil {
		if t.timeout, err = m.secondsFrom(s.TimeoutSecondsPath, eff, "TimeoutSeconds"); err != nil {
			m.runtimeError(err)
			return
		}
	}
	if s.HeartbeatSecondsPath != nil {
		if t.heartbeat, err = m.secondsFrom(s.HeartbeatSecondsPath, eff, "HeartbeatSeconds"); err != nil {
			m.runtimeError(err)
			return
		}
	}
	m.th.cur.effInput = eff
	m.th.cur.task = t
	m.startAttempt(t, m.th.cur.enteredID)
}

// secondsFrom resolves TimeoutSecondsPath or HeartbeatSecondsPath; field
// is the static field the path stands for.
func (m *Machine) secondsFrom(p *jsonpath.Path, eff any, field string) (int64, error) {
	v, ok := m.lookup(p, eff)
	if !ok {
		return 0, m.pathMiss(p, eff)
	}
	n, isNum := v.(jsonv.Number)
	i, isInt := n.Int()
	if !isNum || !isInt || !n.IsInteger() || i <= 0 {
		return 0, fmt.Errorf("The value of the field '%s' must be a positive integer: %s == %s", p.Text, p.Text, display(v))
	}
	if i > asl.MaxSeconds {
		return 0, secondsRangeError(field)
	}
	return i, nil
}

// secondsRangeError fails a TimeoutSeconds or HeartbeatSeconds value taken
// from a path or an expression that is larger than a definition may state
// (asl.MaxSeconds): a timer that far out would overflow. AWS's text for
// it is not recorded; this one follows the text recorded for a
// ToleratedFailurePercentagePath value out of range.
func secondsRangeError(field string) error {
	return fmt.Errorf("%s must be between 1 and %d.", field, asl.MaxSeconds)
}

// startAttempt schedules one attempt of the task; prev is the event it
// follows.
func (m *Machine) startAttempt(t *taskRun, prev int64) {
	if m.activityMissing(t, prev) {
		return
	}
	if t.callback && m.opts.NewToken != nil {
		t.token = m.opts.NewToken()
	}
	params := m.th.cur.effInput
	if t.def.QueryLanguage == asl.JSONata {
		var ok bool
		if params, ok = m.taskArguments(t); !ok {
			return
		}
	} else if t.def.Parameters != nil {
		var err error
		if params, err = t.def.Parameters.Eval(m.env(m.th.cur.effInput)); err != nil {
			m.runtimeError(err)
			return
		}
		if err = requestError(t.def.Resource, params); err != nil {
			m.runtimeError(err)
			return
		}
	}
	text := jsonv.EncodeString(params)
	t.token = sharedToken(text, t.token)
	var started int64
	switch {
	case t.activity:
		started = m.scheduleActivity(t, text, prev)
	case t.legacy:
		d := &LambdaScheduledDetails{Resource: t.resource, Input: &text, InputDetails: notTruncated}
		if t.timeout > 0 {
			d.TimeoutInSeconds = intPtr(t.timeout)
		}
		id := m.emit(EventLambdaFunctionScheduled, prev, d)
		started = m.emit(EventLambdaFunctionStarted, id, nil)
	default:
		d := &TaskScheduledDetails{ResourceType: t.resourceType, Resource: t.resource, Region: m.opts.Region, Parameters: text}
		if t.timeout > 0 {
			d.TimeoutInSeconds = intPtr(t.timeout)
		}
		if t.heartbeat > 0 {
			d.HeartbeatInSeconds = intPtr(t.heartbeat)
		}
		id := m.emit(EventTaskScheduled, prev, d)
		started = m.emit(EventTaskStarted, id, &TaskStartedDetails{ResourceType: t.resourceType, Resource: t.resource})
	}
	if m.status != StatusRunning {
		return
	}
	t.lastEvent = started
	t.invoked, t.pending = false, nil
	t.taskID = m.newID("task")
	m.command(InvokeTask{TaskID: t.taskID, StateName: m.th.cur.name, Resource: t.def.Resource, Parameters: []byte(text), Token: t.token, Activity: t.activity})
	if !t.activity {
		m.startClocks(t)
	}
}

// requestError refuses the evaluated Parameters of an optimized
// integration that name a field it does not take: a key ending in .$ is
// not checked when the machine is created, and AWS fails the task when
// it starts instead, with this text (docs/step-functions.md §4.6.1).
func requestError(resource string, params any) error {
	in, ok := asl.ParseIntegration(resource)
	if !ok {
		return nil
	}
	field, bad := in.UnknownField(params)
	if !bad {
		return nil
	}
	return fmt.Errorf("The Parameters '%s' could not be used to start the Task: [The field \"%s\" is not supported by Step Functions]",
		jsonv.EncodeString(params), field)
}

// sharedToken returns token as the copy of it inside the task's encoded
// parameters, when they carry it (a .waitForTaskToken task passes
// $$.Task.Token on): the TaskScheduled event keeps that text for the
// execution's life, so the attempt holding the token costs no second copy
// of its 700 bytes while the execution waits.
func sharedToken(text, token string) string {
	if token == "" {
		return token
	}
	if i := strings.Index(text, token); i >= 0 {
		return text[i : i+len(token)]
	}
	return token
}

// startClocks arms the attempt's TimeoutSeconds and HeartbeatSeconds
// timers.
func (m *Machine) startClocks(t *taskRun) {
	if t.timeout > 0 {
		t.timeoutTimer = m.newID("task-timeout")
		m.command(ArmTimer{TimerID: t.timeoutTimer, At: m.now.Add(time.Duration(t.timeout) * time.Second)})
	}
	m.armHeartbeat(t)
}

func (m *Machine) armHeartbeat(t *taskRun) {
	if t.heartbeat <= 0 {
		return
	}
	if t.heartbeatTimer != "" {
		m.command(CancelTimer{TimerID: t.heartbeatTimer})
	}
	t.heartbeatTimer = m.newID("heartbeat")
	m.command(ArmTimer{TimerID: t.heartbeatTimer, At: m.now.Add(time.Duration(t.heartbeat) * time.Second)})
}

// closeAttempt ends the running attempt: timers cancelled, token closed.
func (m *Machine) closeAttempt(t *taskRun) {
	for _, id := range []*string{&t.timeoutTimer, &t.heartbeatTimer, &t.retryTimer} {
		if *id != "" {
			m.command(CancelTimer{TimerID: *id})
			*id = ""
		}
	}
	if t.token != "" {
		m.command(CloseToken{Token: t.token})
		t.token = ""
	}
	t.taskID = ""
	t.pending = nil
}

// running returns the task attempt with the given id, if any, and makes
// its thread current.
func (m *Machine) running(taskID string) *taskRun {
	if taskID == "" {
		return nil
	}
	return m.focusTask(func(t *taskRun) bool { return t.taskID == taskID })
}

// byToken returns the open task attempt holding token and makes its thread
// current.
func (m *Machine) byToken(token string) *taskRun {
	if token == "" {
		return nil
	}
	return m.focusTask(func(t *taskRun) bool { return t.token == token })
}

func (m *Machine) taskInvoked(e TaskInvoked) error {
	t := m.running(e.TaskID)
	if t == nil || t.invoked || t.activity {
		return ErrUnknownTask
	}
	t.invoked = true
	output := compact(e.Output)
	if t.callback {
		t.lastEvent = m.emit(EventTaskSubmitted, t.lastEvent, &TaskOutputDetails{
			ResourceType: t.resourceType, Resource: t.resource, Output: &output, OutputDetails: notTruncated,
		})
		if p := t.pending; p != nil {
			t.pending = nil
			m.applyCallback(t, p)
		}
		return nil
	}
	if m.resultTooLarge(t, output) {
		return nil
	}
	if t.legacy {
		t.lastEvent = m.emit(EventLambdaFunctionSucceeded, t.lastEvent, &OutputDetails{Output: &output, OutputDetails: notTruncated})
	} else {
		t.lastEvent = m.emit(EventTaskSucceeded, t.lastEvent, &TaskOutputDetails{
			ResourceType: t.resourceType, Resource: t.resource, Output: &output, OutputDetails: notTruncated,
		})
	}
	m.taskSucceeded(t, output)
	return nil
}

// compact re-encodes a JSON text compactly, keeping key order.
func compact(raw []byte) string {
	v, err := jsonv.Decode(raw)
	if err != nil {
		return string(raw)
	}
	return jsonv.EncodeString(v)
}

func (m *Machine) taskFailed(e TaskFailed) error {
	t := m.running(e.TaskID)
	if t == nil || t.invoked {
		return ErrUnknownTask
	}
	t.invoked = true
	m.failAttempt(t, e.Failure)
	return nil
}

// failAttempt logs a failed attempt and applies Retry/Catch.
func (m *Machine) failAttempt(t *taskRun, f asl.Failure) {
	switch {
	case t.legacy || t.activity:
		typ := EventLambdaFunctionFailed
		if t.activity {
			typ = EventActivityFailed
		}
		t.lastEvent = m.emit(typ, t.lastEvent, errorDetails(f))
	default:
		t.lastEvent = m.emit(EventTaskFailed, t.lastEvent, &TaskErrorDetails{
			ResourceType: t.resourceType, Resource: t.resource, Error: f.ErrorPtr(), Cause: f.CausePtr(),
		})
	}
	m.handleError(t, taskError{Failure: f})
}

func (m *Machine) callback(token string, ev Event) error {
	t := m.byToken(token)
	if t == nil {
		return ErrTokenClosed
	}
	if !t.invoked {
		if t.pending != nil {
			return ErrTokenClosed
		}
		t.pending = ev
		return nil
	}
	m.applyCallback(t, ev)
	return nil
}

func (m *Machine) applyCallback(t *taskRun, ev Event) {
	switch e := ev.(type) {
	case CallbackSuccess:
		output := e.Output
		if m.resultTooLarge(t, output) {
			return
		}
		if t.activity {
			t.lastEvent = m.emit(EventActivitySucceeded, t.lastEvent, &OutputDetails{Output: &output, OutputDetails: notTruncated})
			m.taskSucceeded(t, output)
			return
		}
		t.lastEvent = m.emit(EventTaskSucceeded, t.lastEvent, &TaskOutputDetails{
			ResourceType: t.resourceType, Resource: t.resource, Output: &output, OutputDetails: notTruncated,
		})
		m.taskSucceeded(t, output)
	case CallbackFailure:
		m.failAttempt(t, e.Failure)
	}
}

func (m *Machine) heartbeat(token string) error {
	t := m.byToken(token)
	if t == nil {
		return ErrTokenClosed
	}
	if t.activity && !t.invoked {
		return nil // its clocks start at ActivityStarted
	}
	m.armHeartbeat(t)
	return nil
}

// resultTooLarge fails the attempt with States.DataLimitExceeded when the
// task result is over the payload limit: unlike other states' oversized
// output, this failure is logged as the task's failure and Retry/Catch
// apply (docs/step-functions.md §0.8, §1.8).
func (m *Machine) resultTooLarge(t *taskRun, output string) bool {
	if len(output) <= MaxPayloadBytes {
		return false
	}
	m.failAttempt(t, asl.NewFailure(asl.StatesDataLimitExceeded,
		fmt.Sprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", t.def.Resource)))
	return true
}

// taskSucceeded applies ResultSelector, ResultPath and OutputPath to the
// task result and leaves the state.
func (m *Machine) taskSucceeded(t *taskRun, output string) {
	m.closeAttempt(t)
	if m.status != StatusRunning {
		return
	}
	result, err := jsonv.DecodeString(output)
	if err != nil {
		m.runtimeError(fmt.Errorf("the task result is not valid JSON"))
		return
	}
	if t.def.QueryLanguage == asl.JSONata {
		m.jsonataExit(result, true, t.lastEvent)
		return
	}
	if t.def.ResultSelector != nil {
		if result, err = t.def.ResultSelector.Eval(m.env(result)); err != nil {
			m.runtimeError(err)
			return
		}
	}
	if !m.pathAssign(t.def.Assign, result) {
		return
	}
	out, err := m.applyResult(t.def.ResultPath, m.th.cur.rawInput, result)
	if err == nil {
		out, err = m.applyOutputPath(t.def.OutputPath, out)
	}
	if err != nil {
		m.runtimeError(err)
		return
	}
	m.exit(out, t.lastEvent)
}

func (m *Machine) timerFired(id string) error {
	if id == "" {
		return ErrUnknownTask
	}
	th := visit(m.root, func(r *stateRun) bool { return r.ownsTimer(id) })
	if th == nil {
		return ErrUnknownTask
	}
	m.th = th
	c := th.cur
	switch {
	case id == c.waitTimer:
		c.waitTimer = ""
		m.exitWait()
	case c.fanOut != nil:
		c.fanOut.retryTimer = ""
		m.startFanOut(c, c.fanOut.retryPrev)
	case id == c.task.retryTimer:
		c.task.retryTimer = ""
		m.startAttempt(c.task, c.task.lastEvent)
	default:
		m.timeOutAttempt(c.task, id == c.task.heartbeatTimer)
	}
	return nil
}

// ownsTimer reports whether the timer belongs to this state run.
func (r *stateRun) ownsTimer(id string) bool {
	switch {
	case r.waitTimer == id:
		return true
	case r.fanOut != nil:
		return r.fanOut.retryTimer == id
	case r.task != nil:
		t := r.task
		return t.retryTimer == id || t.timeoutTimer == id || t.heartbeatTimer == id
	}
	return false
}

func (m *Machine) timeOutAttempt(t *taskRun, heartbeat bool) {
	f := asl.ErrorOnly(asl.StatesTimeout)
	switch {
	case t.activity:
		t.lastEvent = m.emit(EventActivityTimedOut, t.lastEvent, errorDetails(f))
	case t.legacy:
		t.lastEvent = m.emit(EventLambdaFunctionTimedOut, t.lastEvent, errorDetails(f))
	default:
		t.lastEvent = m.emit(EventTaskTimedOut, t.lastEvent, &TaskErrorDetails{
			ResourceType: t.resourceType, Resource: t.resource, Error: f.ErrorPtr(),
		})
	}
	m.handleError(t, taskError{Failure: f, heartbeat: heartbeat})
}
