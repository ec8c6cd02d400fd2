package interp

import (
	"math"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// taskError is an error raised by a task attempt.
type taskError struct {
	asl.Failure
	// heartbeat marks a States.Timeout caused by a missed heartbeat.
	heartbeat bool
	// runtime marks an error no Retry or Catch handles (States.Runtime,
	// DataLimitExceeded outside a task result).
	runtime bool
}

// uncatchable is an error no Retry or Catch handles.
func uncatchable(name asl.ErrorName, cause string) taskError {
	return taskError{Failure: asl.NewFailure(name, cause), runtime: true}
}

// matches reports whether an ErrorEquals list selects the error.
func (e taskError) matches(list []asl.ErrorName) bool {
	for _, want := range list {
		switch {
		case want == e.Name(), want == asl.StatesALL:
			return true
		case want == asl.StatesTaskFailed && e.Name() != asl.StatesTimeout:
			return true
		case want == asl.StatesHeartbeatTimeout && e.heartbeat:
			return true
		}
	}
	return false
}

// handleError applies the task's Retry and Catch to a failed attempt.
func (m *Machine) handleError(t *taskRun, e taskError) {
	m.closeAttempt(t)
	if m.status != StatusRunning {
		return
	}
	if m.retry(t, e) {
		return
	}
	for _, c := range t.def.Catch {
		if e.matches(c.ErrorEquals) {
			m.catch(c, e, t.lastEvent)
			return
		}
	}
	m.fail(t.lastEvent, e)
}

// retry applies the task's Retry to e: when the first retrier that
// matches has attempts left, the attempt is closed and the next one armed
// after the retrier's delay, and retry reports true. A spent retrier
// leaves e to Catch, like one that does not match.
func (m *Machine) retry(t *taskRun, e taskError) bool {
	for i, r := range t.def.Retry {
		if !e.matches(r.ErrorEquals) {
			continue
		}
		if t.retries[i] >= r.MaxAttempts {
			return false
		}
		m.closeAttempt(t)
		delay := m.retryDelay(r, t.retries[i])
		t.retries[i]++
		t.attempt++
		t.retryTimer = m.newID("retry")
		m.command(ArmTimer{TimerID: t.retryTimer, At: m.now.Add(delay)})
		return true
	}
	return false
}

// retryDelay is IntervalSeconds × BackoffRate^n, capped by
// MaxDelaySeconds; FULL jitter draws from [0, delay] when a random source
// is configured.
func (m *Machine) retryDelay(r asl.Retrier, n int64) time.Duration {
	secs := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(n))
	if r.MaxDelaySeconds > 0 && secs > float64(r.MaxDelaySeconds) {
		secs = float64(r.MaxDelaySeconds)
	}
	secs = min(secs, asl.MaxSeconds)
	delay := time.Duration(secs * float64(time.Second))
	if r.JitterStrategy == "FULL" && m.opts.Random != nil {
		delay = time.Duration(m.opts.Random(0, delay.Milliseconds())) * time.Millisecond
	}
	return delay
}

// catch leaves the current state through a catcher with the error output
// placed by its ResultPath; prev is the failure's last event.
func (m *Machine) catch(c asl.Catcher, e taskError, prev int64) {
	r := m.th.cur
	errOut := jsonv.NewObject(2)
	errOut.Set("Error", nullable(e.Error, e.HasError))
	errOut.Set("Cause", nullable(e.Cause, e.HasCause))
	out, ok := m.catchOutput(c, errOut)
	if !ok {
		return
	}
	text := jsonv.EncodeString(out)
	id := m.emitExited(r.state.Common().Type, prev, text)
	m.th.cur = nil
	if m.status == StatusRunning {
		m.enter(c.Next, out, id)
	}
}

// catchOutput is the state output through a catcher: ResultPath and
// Assign (with $ the error output) in JSONPath, Output and Assign over
// $states.errorOutput in JSONata.
func (m *Machine) catchOutput(c asl.Catcher, errOut *jsonv.Object) (any, bool) {
	r := m.th.cur
	if r.state.Common().QueryLanguage == asl.JSONata {
		r.catching = true
		st := m.statesVar()
		st.Set("errorOutput", errOut)
		return m.jsonataResult(c.Assign, c.Output, st, errOut)
	}
	if !m.pathAssign(c.Assign, errOut) {
		return nil, false
	}
	out, err := m.applyResult(c.ResultPath, r.rawInput, errOut)
	if err != nil {
		m.runtimeError(err)
		return nil, false
	}
	return out, true
}

func nullable(s string, ok bool) any {
	if !ok {
		return nil
	}
	return s
}
