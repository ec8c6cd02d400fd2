package sfnemu

import (
	"sort"
	"strings"
	"time"
)

// Deadline is an armed timer of an execution: a task's heartbeat or
// timeout, a retry's or a Wait state's end.
type Deadline struct {
	// Kind is what the timer is for: "heartbeat", "task-timeout",
	// "retry", "wait" or "exec-timeout", as the interpreter names
	// them (the part of its timer id before the sequence number).
	Kind string
	At   time.Time
}

// Deadlines lists the armed timers of an execution, soonest first: what
// a console shows as a heartbeat countdown. Read-only.
func (s *Service) Deadlines(executionArn string) ([]Deadline, error) {
	e, err := s.execution(executionArn)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	out := make([]Deadline, 0, len(e.timers))
	for id, t := range e.timers {
		kind := id
		if i := strings.LastIndexByte(id, '-'); i > 0 {
			kind = id[:i]
		}
		out = append(out, Deadline{Kind: kind, At: t.at})
	}
	e.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}
