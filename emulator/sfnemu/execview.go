package sfnemu

// execView is a machine's executions as of one moment, newest last, read
// without copying them: sm.execs only grows at its end, and retention's
// compaction builds a new slice rather than changing this one, so the
// view stays valid; whether an execution has been freed since is read
// under sm.mu as it is walked. A ListExecutions page then costs what it
// reads, not the machine's whole history (a console watching a busy
// machine lists it several times a second).
type execView struct {
	sm    *stateMachine
	execs []*execution
	live  int // executions not freed when the view was taken
	i     int // the next index to read, walking newest first
}

func (sm *stateMachine) view() *execView {
	sm.mu.RLock()
	defer sm.mu.RUnlock()
	return &execView{sm: sm, execs: sm.execs, live: len(sm.execs) - sm.freedInExecs, i: len(sm.execs) - 1}
}

// skip passes over n executions not freed.
func (v *execView) skip(n int) {
	v.sm.mu.RLock()
	defer v.sm.mu.RUnlock()
	for ; n > 0 && v.i >= 0; v.i-- {
		if !v.execs[v.i].freed {
			n--
		}
	}
}

// next returns up to n more executions not freed, newest first; none at
// the end.
func (v *execView) next(n int) []*execution {
	v.sm.mu.RLock()
	defer v.sm.mu.RUnlock()
	out := make([]*execution, 0, n)
	for ; len(out) < n && v.i >= 0; v.i-- {
		if e := v.execs[v.i]; !e.freed {
			out = append(out, e)
		}
	}
	return out
}
