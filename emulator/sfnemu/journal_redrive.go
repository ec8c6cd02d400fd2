package sfnemu

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/store"
)

// A redrive in the journal (docs/durability.md §6). A closed execution is
// compacted to its d/<id> record; RedriveExecution turns it back into a
// running journal in one batch: r/<id>, its steps as they were, then a
// redrive step (the redrive's time, its client token, the values drawn),
// and d/<id> deleted. The state it re-enters is the next step, an Enter
// at the redrive's time, journaled as the driver applies it. Replay calls
// Machine.Redrive at the redrive step, so a restored execution goes on
// past its first close; one restored RUNNING whose Enter was not yet
// journaled enters its state again at resume (resume.go).

// redriveKind is the Kind of a redrive step.
const redriveKind = "redrive"

// redriveRecord is a redrive step's Event.
type redriveRecord struct {
	ClientToken string `json:",omitempty"`
}

// journalRedrive writes the reopening of a closed execution redriven at
// at, before the Machine's step is applied, and returns the ticket to
// wait for. e.mu is held.
func (s *Service) journalRedrive(e *execution, at time.Time, token *string) uint64 {
	if !e.jr.isOn() {
		return 0
	}
	var rec redriveRecord
	if token != nil {
		rec.ClientToken = *token
	}
	b, err := json.Marshal(rec)
	if err != nil { // unreachable: a string
		s.log.Error("redrive not journaled", "executionArn", e.arn, "err", err)
		return 0
	}
	step := stepRecord{At: at, Kind: redriveKind, Event: b, Draws: e.takeDraws()}
	ops := make([]store.Op, 0, len(e.jr.steps)+3)
	start, err := json.Marshal(e.jr.start)
	if err == nil {
		ops = append(ops, store.Put(journalBucket, runKey(e.id), start))
		for i, r := range append(e.jr.steps, step) {
			var v []byte
			if v, err = json.Marshal(r); err != nil {
				break
			}
			ops = append(ops, store.Put(journalBucket, stepKey(e.id, i), v))
		}
	}
	if err != nil {
		s.log.Error("redrive not journaled", "executionArn", e.arn, "err", err)
		return 0
	}
	ops = append(ops, store.Del(journalBucket, doneKey(e.id)))
	e.jr.steps = append(e.jr.steps, step)
	e.jr.term = nil
	e.jr.ticket = s.journal.add(ops...)
	return e.jr.ticket
}

// replayRedrive redrives e's Machine at a journaled redrive step. e.mu
// is held.
func (s *Service) replayRedrive(e *execution, r stepRecord) error {
	var rec redriveRecord
	if err := json.Unmarshal(r.Event, &rec); err != nil {
		return fmt.Errorf("decode redrive: %w", err)
	}
	if e.machine == nil {
		return fmt.Errorf("redrive of an execution %s without its machine", e.status)
	}
	step, err := e.machine.Redrive(r.At)
	if err != nil {
		return err
	}
	e.reopened(step, r.At)
	if rec.ClientToken != "" {
		e.redrive.remember(&rec.ClientToken, r.At)
	}
	s.replayApply(e, step, r.At)
	return nil
}

// reopened makes e running again after its Machine's Redrive at now gave
// step. e.mu is held.
func (e *execution) reopened(step interp.Step, now time.Time) {
	e.status, e.stop, e.failure, e.output = interp.StatusRunning, time.Time{}, asl.Failure{}, nil
	e.redrive.count, e.redrive.date = e.machine.RedriveCount(), now
	for _, c := range step.Commands {
		if t, ok := c.(interp.ArmTimer); ok {
			e.execTimer = t.TimerID // the execution timeout starts over
		}
	}
}

// redriveEnter is the Enter a replayed execution still owes after its
// last journaled step, a redrive, or nil.
func (j *execJournal) redriveEnter() *delivery {
	if n := len(j.steps); n > 0 && j.steps[n-1].Kind == redriveKind {
		return &delivery{enterAt: j.steps[n-1].At}
	}
	return nil
}
