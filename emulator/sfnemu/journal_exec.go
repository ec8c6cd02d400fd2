package sfnemu

import (
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/store"
)

// What the driver writes to the journal (journal.go), and when. Every
// function here does nothing for an execution that is not journaled (no
// store, or Express: no API reads an Express execution once it ended, and
// a running one is not resumed).

// execJournal is an execution's part of the journal: nil without a store
// (most executions, so they do not carry it). Guarded by e.mu, except
// draws and replay, which only the Machine's caller touches.
type execJournal struct {
	on    bool
	start startRecord
	steps []stepRecord // applied so far, for the compacted record
	// startJSON and stepsJSON are start and steps as journaled, for the
	// compacted record (journal_done.go); nil when not encoded here.
	startJSON []byte
	stepsJSON [][]byte
	term      *termRecord
	ticket    uint64 // the last write queued for the execution
	// draws are what the current call into the Machine drew; replay,
	// while replaying, what it is to draw.
	draws  drawn
	replay *drawn
	// replaying is set while resume.go rebuilds the execution: commands
	// are not carried out but kept as outstanding.
	replaying     bool
	pendingTasks  map[string]interp.InvokeTask
	pendingTimers map[string]time.Time
}

// isOn reports whether the execution is journaled.
func (j *execJournal) isOn() bool { return j != nil && j.on }

// writing reports whether the execution's steps are written: it is
// journaled and not being replayed.
func (j *execJournal) writing() bool { return j != nil && j.on && !j.replaying }

// isReplaying reports whether resume.go is rebuilding the execution.
func (j *execJournal) isReplaying() bool { return j != nil && j.replaying }

// lastTicket is the last write queued for the execution (0: none).
func (j *execJournal) lastTicket() uint64 {
	if j == nil {
		return 0
	}
	return j.ticket
}

// journaled wraps the Machine's sources of tokens, UUIDs and random
// numbers: each value drawn is recorded, or, while replaying, handed back
// from the journal.
func (s *Service) journaled(e *execution, o interp.Options) interp.Options {
	if s.journal == nil {
		return o
	}
	newToken, newUUID, random := o.NewToken, o.NewUUID, o.Random
	o.NewToken = func() string { return s.journaledToken(e, newToken) }
	o.NewUUID = func() string {
		if r := e.jr.replay; r != nil && len(r.UUIDs) > 0 {
			u := r.UUIDs[0]
			r.UUIDs = r.UUIDs[1:]
			return u
		}
		u := newUUID()
		e.jr.draws.UUIDs = append(e.jr.draws.UUIDs, u)
		return u
	}
	o.Random = func(lo, hi int64) int64 {
		if r := e.jr.replay; r != nil && len(r.Randoms) > 0 {
			n := r.Randoms[0]
			r.Randoms = r.Randoms[1:]
			return n
		}
		n := random(lo, hi)
		e.jr.draws.Randoms = append(e.jr.draws.Randoms, n)
		return n
	}
	return o
}

// takeDraws returns and clears what the last call into the Machine drew.
func (e *execution) takeDraws() drawn {
	if e.jr == nil {
		return drawn{}
	}
	d := e.jr.draws
	e.jr.draws = drawn{}
	return d
}

// journalStart writes a new execution's start record. e.mu is held.
func (s *Service) journalStart(e *execution) {
	if e.jr == nil {
		return
	}
	e.jr.on = e.sm.typ == typeStandard
	if !e.jr.on {
		return
	}
	rev := snapRevision(*e.rev)
	key := s.journalDef(rev.Definition)
	rev.Definition = ""
	e.jr.start = startRecord{ID: e.id, ARN: e.arn, Name: e.name, SM: e.sm.arn, Input: e.input, Start: e.start,
		VersionArn: e.versionArn, AliasArn: e.aliasArn, Rev: rev, DefKey: key, Draws: e.takeDraws()}
	b, err := appendStart(nil, e.jr.start)
	if err != nil {
		s.log.Error("execution record not journaled", "executionArn", e.arn, "err", err)
		return
	}
	e.jr.ticket = s.journal.add(store.Put(journalBucket, runKey(e.id), b))
	e.jr.startJSON = b
}

// journalStep writes a delivery about to be applied: ev at at (nil: the
// first state). e.mu is held.
func (s *Service) journalStep(e *execution, at time.Time, ev interp.Event) {
	if !e.jr.writing() {
		return
	}
	r := stepRecord{At: at, Draws: e.takeDraws()}
	if ev != nil {
		kind, b, err := encodeEvent(s.shortToken(e, ev))
		if err != nil {
			s.log.Error("execution step not journaled", "executionArn", e.arn, "err", err)
			return
		}
		r.Kind, r.Event = kind, b
	}
	enc := appendStep(make([]byte, 0, 64+len(r.Event)), r)
	e.jr.ticket = s.journal.add(store.Put(journalBucket, stepKey(e.id, len(e.jr.steps)), enc))
	for len(e.jr.stepsJSON) < len(e.jr.steps) {
		e.jr.stepsJSON = append(e.jr.stepsJSON, nil)
	}
	e.jr.steps = append(e.jr.steps, r)
	e.jr.stepsJSON = append(e.jr.stepsJSON, enc)
}

// journalTerm keeps a terminal step made outside the Machine. e.mu is
// held.
func (e *execution) journalTerm(step interp.Step) {
	if !e.jr.writing() {
		return
	}
	ev := step.Events[0]
	t := &termRecord{Type: ev.Type, Status: step.Status, Failure: step.Failure, At: ev.Timestamp}
	if d, ok := ev.Details.(*interp.ErrorDetails); ok && d != nil {
		t.Details = *d
	}
	e.jr.term = t
}

// journalEnd compacts a closed execution to one record. e.mu is held.
func (s *Service) journalEnd(e *execution) {
	if !e.jr.writing() {
		return
	}
	b, err := encodeDone(e)
	if err != nil {
		s.log.Error("closed execution not journaled", "executionArn", e.arn, "err", err)
		return
	}
	ops := make([]store.Op, 0, len(e.jr.steps)+2)
	ops = append(ops, store.Put(journalBucket, doneKey(e.id), b), store.Del(journalBucket, runKey(e.id)))
	for i := range e.jr.steps {
		ops = append(ops, store.Del(journalBucket, stepKey(e.id, i)))
	}
	e.jr.ticket = s.journal.add(ops...)
}

// journalFree deletes the records of executions retention freed.
func (s *Service) journalFree(freed []*execution) {
	if s.journal == nil {
		return
	}
	ops := make([]store.Op, 0, len(freed))
	for _, e := range freed {
		ops = append(ops, store.Del(journalBucket, doneKey(e.id)))
	}
	s.journal.add(ops...)
}

// journalWait returns once every write queued for e so far is committed:
// for the calls a client waits on.
func (s *Service) journalWait(e *execution) error {
	if s.journal == nil {
		return nil
	}
	return s.journal.wait(e.ticket())
}

// journalWaitShared is journalWait for SendTask*, whose record may ride
// with the next commit another call makes within callbackWindow.
func (s *Service) journalWaitShared(e *execution) error {
	if s.journal == nil {
		return nil
	}
	return s.journal.waitShared(e.ticket(), callbackWindow)
}

// ticket is the last write queued for e.
func (e *execution) ticket() uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.jr.lastTicket()
}
