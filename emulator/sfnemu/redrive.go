package sfnemu

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// RedriveExecution restarts a FAILED, TIMED_OUT or ABORTED Standard
// execution from the state it stopped in (docs/step-functions.md §7).

// Redrive limits (docs/step-functions.md §7.1).
const (
	// RedriveWindow is how long after it stopped an execution can be
	// redriven.
	RedriveWindow = 14 * 24 * time.Hour
	// redriveMaxEvents is the history size from which an execution can
	// no longer be redriven.
	redriveMaxEvents = interp.MaxHistoryEvents - 1
	// redriveTokens is how many client tokens are remembered, each for
	// redriveTokenLife.
	redriveTokens    = 10
	redriveTokenLife = 15 * time.Minute
)

// The redriveStatus values of DescribeExecution.
const (
	redrivable    = "REDRIVABLE"
	notRedrivable = "NOT_REDRIVABLE"
	// redrivableByMapRun is a failed child execution of a Map Run.
	redrivableByMapRun = "REDRIVABLE_BY_MAP_RUN"
)

// RedriveExecutionInput redrives the execution ExecutionArn. A ClientToken
// repeated within 15 minutes answers the same redrive again.
type RedriveExecutionInput struct {
	ExecutionArn string
	ClientToken  *string
}

// RedriveExecutionOutput is when the execution was redriven.
type RedriveExecutionOutput struct {
	RedriveDate time.Time
}

// redriveState counts an execution's redrives. Guarded by e.mu.
type redriveState struct {
	count  int
	date   time.Time
	tokens []redriveToken
}

// redriveToken is a client token and the redrive it started.
type redriveToken struct {
	token string
	at    time.Time
	date  time.Time
}

// RedriveExecution reopens a closed, unsuccessful Standard execution: it
// logs ExecutionRedriven and enters the state it stopped in again.
func (s *Service) RedriveExecution(_ context.Context, in RedriveExecutionInput) (RedriveExecutionOutput, error) {
	e, err := s.execution(in.ExecutionArn)
	if err != nil {
		return RedriveExecutionOutput{}, err
	}
	now := s.cfg.Clock.Now()
	e.mu.Lock()
	if date, ok := e.redrive.repeated(in.ClientToken, now); ok {
		ticket := e.jr.lastTicket()
		e.mu.Unlock()
		if err := s.journal.wait(ticket); err != nil { // the first answer waited too
			return RedriveExecutionOutput{}, fmt.Errorf("redrive %s: %w", e.arn, err)
		}
		return RedriveExecutionOutput{RedriveDate: date}, nil
	}
	if reason := e.notRedrivable(now); reason != "" {
		e.mu.Unlock()
		return RedriveExecutionOutput{}, fail(ErrExecutionNotRedrivable, reason)
	}
	ticket, err := s.reopen(e, now, in.ClientToken)
	if err != nil {
		e.mu.Unlock()
		return RedriveExecutionOutput{}, err
	}
	e.redrive.remember(in.ClientToken, now)
	e.inbox = append(e.inbox, &delivery{enterAt: now}) // the state it stopped in
	s.startDriving(e)
	e.mu.Unlock()
	s.goDrive(e)
	// Answered once the redrive is committed (docs/durability.md §6).
	if err := s.journal.wait(ticket); err != nil {
		return RedriveExecutionOutput{}, fmt.Errorf("redrive %s: %w", e.arn, err)
	}
	return RedriveExecutionOutput{RedriveDate: now}, nil
}

// reopen makes e running again: it leaves its machine's closed
// executions, the Machine logs ExecutionRedriven and the redrive is
// journaled; it returns the journal's ticket. e.mu is held.
func (s *Service) reopen(e *execution, now time.Time, token *string) (uint64, error) {
	sm := e.sm
	sm.mu.Lock()
	if sm.deleting {
		sm.mu.Unlock()
		return 0, fail(ErrExecutionNotRedrivable, "State machine is in DELETING status")
	}
	e.takeDraws()
	step, err := e.machine.Redrive(now)
	if err != nil { // unreachable: the status was checked
		sm.mu.Unlock()
		return 0, fail(ErrExecutionNotRedrivable, "Execution is "+string(e.status)+" and cannot be redriven")
	}
	sm.running++
	sm.unretire(e)
	sm.mu.Unlock()
	ticket := s.journalRedrive(e, now, token)
	e.reopened(step, now)
	e.abandoned.Store(false)
	s.apply(e, step)
	s.notifyStatus(e, e.infoLocked())
	return ticket, nil
}

// unretire takes a redriven execution out of the closed ones that
// retention frees. sm.mu is held.
func (sm *stateMachine) unretire(e *execution) {
	for i, c := range sm.closed {
		if c.e == e {
			sm.closed = append(sm.closed[:i:i], sm.closed[i+1:]...)
			return
		}
	}
}

// notRedrivable is why e cannot be redriven at now, or "" when it can.
// e.mu is held.
func (e *execution) notRedrivable(now time.Time) string {
	switch {
	case e.status == interp.StatusRunning || e.status == interp.StatusSucceeded:
		return "Execution is " + string(e.status) + " and cannot be redriven"
	case e.sm.typ == typeExpress || e.machine == nil:
		return "Execution is " + string(e.status) + " and cannot be redriven"
	case e.driving: // a step abandoned by its end still evaluates
		return "Execution is " + string(e.status) + " and still closing; try again"
	case !now.Before(e.stop.Add(RedriveWindow)):
		return "Execution redrivable period exceeded"
	case len(e.history) >= redriveMaxEvents:
		return "Execution history event limit exceeded"
	}
	return ""
}

// keepsMachine reports whether a closed execution keeps its Machine for
// a redrive: Standard executions that did not succeed.
func (e *execution) keepsMachine(status interp.Status) bool {
	return e.sm.typ == typeStandard && status != interp.StatusSucceeded
}

// repeated returns the redrive date of a client token used within its
// lifetime.
func (r *redriveState) repeated(token *string, now time.Time) (time.Time, bool) {
	if token == nil {
		return time.Time{}, false
	}
	for _, t := range r.tokens {
		if t.token == *token && now.Before(t.at.Add(redriveTokenLife)) {
			return t.date, true
		}
	}
	return time.Time{}, false
}

// remember keeps the last redriveTokens client tokens.
func (r *redriveState) remember(token *string, now time.Time) {
	if token == nil {
		return
	}
	r.tokens = append(r.tokens, redriveToken{token: *token, at: now, date: now})
	if len(r.tokens) > redriveTokens {
		r.tokens = r.tokens[len(r.tokens)-redriveTokens:]
	}
}

// redriveStatus sets DescribeExecution's redrive members of d at now.
func redriveStatus(d *ExecutionDescription, info execInfo, now time.Time) {
	d.RedriveStatus, d.RedriveStatusReason = redrivable, ""
	switch {
	case info.status == interp.StatusRunning || info.status == interp.StatusSucceeded || info.noMachine:
		d.RedriveStatusReason = "Execution is " + string(info.status) + " and cannot be redriven"
	case !now.Before(info.stop.Add(RedriveWindow)):
		d.RedriveStatusReason = "Execution redrivable period exceeded"
	case info.events >= redriveMaxEvents:
		d.RedriveStatusReason = "Execution history event limit exceeded"
	default:
		return
	}
	d.RedriveStatus = notRedrivable
}

// RedriveFilter selects executions by whether they were redriven.
type RedriveFilter string

// The redriveFilter values of ListExecutions.
const (
	RedriveFilterRedriven    RedriveFilter = "REDRIVEN"
	RedriveFilterNotRedriven RedriveFilter = "NOT_REDRIVEN"
)

// matches reports whether an execution redriven count times passes f.
func (f RedriveFilter) matches(count int) bool {
	switch f {
	case RedriveFilterRedriven:
		return count > 0
	case RedriveFilterNotRedriven:
		return count == 0
	}
	return true
}
