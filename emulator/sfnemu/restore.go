package sfnemu

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/store"
)

// RestoreExecutions rebuilds the executions of the journal and resumes
// the RUNNING ones: LoadExecutions, then ResumeExecutions.
func (s *Service) RestoreExecutions() error {
	if err := s.LoadExecutions(); err != nil {
		return err
	}
	s.ResumeExecutions()
	return nil
}

// LoadExecutions rebuilds the executions of the journal (resume.go), once
// RestoreConfig gave back their state machines; it also takes the
// task-token key of the state file, so that tokens issued before the
// restart stay valid. The RUNNING ones wait for ResumeExecutions, so that
// what they report (status changes) finds its receivers in place. Without
// Config.Store it does nothing. Call it before the service is used.
func (s *Service) LoadExecutions() error {
	if s.journal == nil {
		return nil
	}
	ts, err := s.restoreTokenKey()
	if err != nil {
		return err
	}
	recs, err := s.loadJournal()
	if err != nil {
		return err
	}
	defs, err := s.loadDefs()
	if err != nil {
		return err
	}
	for _, r := range recs {
		e, err := s.rebuild(defs.resolve(r))
		if err != nil {
			s.log.Warn("execution not restored", "executionArn", r.Start.ARN, "err", err)
			s.journalDrop(r)
			continue
		}
		if e.status == interp.StatusRunning {
			s.toResume = append(s.toResume, e)
		}
		s.nextExec.Store(max(s.nextExec.Load(), e.id))
	}
	if err := s.beginRun(ts); err != nil {
		return err
	}
	s.keepDefs(defs)
	s.retainRestored()
	if len(recs) > 0 {
		s.log.Info(fmt.Sprintf("restored %d executions, %d running", len(recs), len(s.toResume)))
	}
	return nil
}

// ResumeExecutions carries on the RUNNING executions LoadExecutions
// rebuilt: their timers armed, their outstanding tasks started again.
func (s *Service) ResumeExecutions() {
	running := s.toResume
	s.toResume = nil
	for _, e := range running {
		e.mu.Lock()
		drive := s.resume(e)
		e.mu.Unlock()
		if drive {
			s.goDrive(e)
		}
	}
}

// tokenState is the task-token key kept in the state file, with the
// first execution id of the next run.
type tokenState struct {
	Key      []byte
	Instance [8]byte
	NextRun  uint64 `json:",omitempty"`
}

// runIDs is how many execution ids a run may hand out: each run starts at
// a multiple of it past every id an earlier run could have used.
const runIDs = 1 << 32

// restoreTokenKey takes the token key of the state file, or keeps this
// service's one there.
func (s *Service) restoreTokenKey() (tokenState, error) {
	b, ok, err := s.cfg.Store.Get("sfn", "tokens")
	if err != nil {
		return tokenState{}, fmt.Errorf("restore task-token key: %w", err)
	}
	var ts tokenState
	if ok {
		if err := json.Unmarshal(b, &ts); err != nil || len(ts.Key) == 0 {
			return tokenState{}, fmt.Errorf("restore task-token key: unreadable record (%v)", err)
		}
		s.tokens = &tokenCodec{key: ts.Key, instance: ts.Instance}
		return ts, nil
	}
	return tokenState{Key: s.tokens.key, Instance: s.tokens.instance}, nil
}

// beginRun numbers this run's executions past every id an earlier run
// used or could have, and keeps the start of the next run's ids. A task
// token names its execution by id, and the token key and instance outlive
// a run: an id used again would let a token an earlier run issued (and a
// worker still holds) answer a new execution's task, after retention
// freed every execution that would have kept the numbering going.
func (s *Service) beginRun(ts tokenState) error {
	first := max(s.nextExec.Load()+1, ts.NextRun) // past the restored ids
	if r := first % runIDs; r != 0 {
		first += runIDs - r
	}
	s.nextExec.Store(first - 1)
	ts.NextRun = first + runIDs
	b, err := json.Marshal(ts)
	if err == nil {
		err = s.cfg.Store.Apply(store.Put("sfn", "tokens", b))
	}
	if err != nil {
		return fmt.Errorf("keep task-token key: %w", err)
	}
	return nil
}

// loadJournal reads every execution of the journal, in id order: the
// closed ones compacted, the running ones with their steps.
func (s *Service) loadJournal() ([]doneRecord, error) {
	var recs []doneRecord
	err := s.cfg.Store.Scan(journalBucket, "d/", func(key string, v []byte) error {
		var r doneRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("record %s: %w", key, err)
		}
		recs = append(recs, r)
		return nil
	})
	if err == nil {
		err = s.cfg.Store.Scan(journalBucket, "r/", func(key string, v []byte) error {
			return addRunRecord(&recs, key, v)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("restore executions: %w", err)
	}
	slices.SortFunc(recs, func(a, b doneRecord) int { return cmpID(a.Start.ID, b.Start.ID) })
	return recs, nil
}

// addRunRecord adds a running execution's start record, or a step to the
// last one (keys come in order: a start, then its steps).
func addRunRecord(recs *[]doneRecord, key string, v []byte) error {
	if strings.Count(key, "/") == 1 {
		var r doneRecord
		r.Status = interp.StatusRunning
		if err := json.Unmarshal(v, &r.Start); err != nil {
			return fmt.Errorf("record %s: %w", key, err)
		}
		*recs = append(*recs, r)
		return nil
	}
	var st stepRecord
	if err := json.Unmarshal(v, &st); err != nil {
		return fmt.Errorf("record %s: %w", key, err)
	}
	n := len(*recs)
	if n == 0 || !strings.HasPrefix(key, runKey((*recs)[n-1].Start.ID)+"/") {
		return nil // a step without its start: an execution half deleted
	}
	(*recs)[n-1].Steps = append((*recs)[n-1].Steps, st)
	return nil
}

func cmpID(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rebuild replays one journaled execution and registers it.
func (s *Service) rebuild(r doneRecord) (*execution, error) {
	s.mu.RLock()
	sm := s.machines[r.Start.SM]
	s.mu.RUnlock()
	if sm == nil || sm.typ != typeStandard {
		return nil, errNoMachine
	}
	rev, err := s.restoredRevision(r.Start.Rev, sm.typ)
	if err != nil {
		return nil, err
	}
	st := r.Start
	e := &execution{id: st.ID, arn: st.ARN, name: st.Name, sm: sm, rev: &rev, input: st.Input, start: st.Start,
		status: interp.StatusRunning, versionArn: st.VersionArn, aliasArn: st.AliasArn}
	if st.DefKey != "" {
		st.Rev.Definition = "" // journaled apart
	}
	e.jr = &execJournal{on: true, start: st, steps: r.Steps, term: r.Term}
	if err := s.replayExecution(e, r.Steps, r.Term); err != nil {
		return nil, err
	}
	if r.Status != interp.StatusRunning { // the record's end is the truth
		if e.machine != nil && e.machine.Status() != r.Status {
			e.machine = nil // not the end its Machine replayed: not redrivable
		}
		e.status, e.stop, e.output = r.Status, r.Stop, r.Output
		e.failure = r.Failure
	}
	if e.status != interp.StatusRunning {
		e.closeDone()
		e.mu.Lock()
		// Replayed: a redrive journals and acts again.
		e.jr.replaying, e.jr.pendingTasks, e.jr.pendingTimers = false, nil, nil
		if r.Status == interp.StatusRunning { // ended before its end was kept
			s.journalEnd(e)
		}
		e.mu.Unlock()
	}
	s.register2(e)
	return e, nil
}

// restoredRevision parses a journaled revision once per definition.
func (s *Service) restoredRevision(r revisionSnapshot, typ string) (revision, error) {
	if s.revCache == nil {
		s.revCache = map[string]revision{}
	}
	if rev, ok := s.revCache[r.Definition]; ok {
		rev.roleArn, rev.id, rev.date, rev.seq, rev.logging, rev.tracing = r.RoleArn, r.ID, r.Date, r.Seq, r.Logging, r.Tracing
		return rev, nil
	}
	rev, err := restoreRevision(r, typ)
	if err == nil {
		s.revCache[r.Definition] = rev
	}
	return rev, err
}

// register2 adds a restored execution to the service and its machine.
func (s *Service) register2(e *execution) {
	s.execMu.Lock()
	s.execByArn[e.arn] = e
	s.execByID[e.id] = e
	s.execMu.Unlock()
	sm := e.sm
	sm.mu.Lock()
	defer sm.mu.Unlock()
	sm.execs = append(sm.execs, e)
	if e.status == interp.StatusRunning {
		sm.running++
		return
	}
	sm.closed = append(sm.closed, closedRecord{e: e, stop: e.stop})
}

// retainRestored orders each machine's closed executions by their end and
// applies the retention policy.
func (s *Service) retainRestored() {
	now := s.cfg.Clock.Now()
	s.revCache = nil
	for _, sm := range s.stateMachines() {
		sm.mu.Lock()
		slices.SortStableFunc(sm.closed, func(a, b closedRecord) int { return a.stop.Compare(b.stop) })
		freed := sm.evict(s.retention, now)
		sm.mu.Unlock()
		s.forget(freed)
	}
}

// journalDrop deletes the records of an execution not restored.
func (s *Service) journalDrop(r doneRecord) {
	ops := []store.Op{store.Del(journalBucket, doneKey(r.Start.ID)), store.Del(journalBucket, runKey(r.Start.ID))}
	for i := range r.Steps {
		ops = append(ops, store.Del(journalBucket, stepKey(r.Start.ID, i)))
	}
	s.journal.add(ops...)
}
