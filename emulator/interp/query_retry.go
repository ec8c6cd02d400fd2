package interp

// retryQuery applies a Task state's Retry to States.QueryEvaluationError,
// which AWS lets retriers match like any task error (step-functions.md
// §1.8: catchable and retriable; the docs' example retries it). When a
// retrier matches with attempts left, the attempt starts again after the
// retrier's delay, following the EvaluationFailed event (id), and
// evaluates its expressions anew. Parallel and Map states are not retried
// on it here.
func (m *Machine) retryQuery(r *stateRun, e taskError, id int64) bool {
	t := r.task
	if t == nil {
		return false
	}
	for i, rt := range t.def.Retry {
		if !e.matches(rt.ErrorEquals) {
			continue
		}
		if t.retries[i] >= rt.MaxAttempts {
			return false
		}
		m.closeAttempt(t)
		delay := m.retryDelay(rt, t.retries[i])
		t.retries[i]++
		t.attempt++
		t.lastEvent = id
		t.retryTimer = m.newID("retry")
		m.command(ArmTimer{TimerID: t.retryTimer, At: m.now.Add(delay)})
		return true
	}
	return false
}
