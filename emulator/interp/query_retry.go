package interp

// retryQuery applies a Task state's Retry to States.QueryEvaluationError,
// which AWS lets retriers match like any task error (docs/step-functions.md
// §1.8: catchable and retriable; the docs' example retries it). When a
// retrier matches with attempts left, the attempt starts again after the
// retrier's delay, following the EvaluationFailed event (id), and
// evaluates its expressions anew. Parallel and Map states are not retried
// on it here.
func (m *Machine) retryQuery(r *stateRun, e taskError, id int64) bool {
	t := r.task
	if t == nil || !m.retry(t, e) {
		return false
	}
	t.lastEvent = id
	return true
}
