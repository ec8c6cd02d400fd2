package scheduler

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/scheduler/schedexpr"
	"github.com/stepwire/stepwire/emulator/store"
)

// The Scheduler schedules are kept in the store one a key,
// schedule/<group>/<name>, in JSON (store.Entries, docs/durability.md §4):
// written after each CreateSchedule, UpdateSchedule and DeleteSchedule,
// before it answers, after a one-time schedule's run, and when a schedule
// deletes itself after its last run. Rules' schedules are the template's
// and are armed again at start: they are not kept.

// Bucket holds the schedules in a state file.
const Bucket = "scheduler"

// scheduleRecord is one schedule as kept. Ran is set once a one-time
// (at()) schedule has run, so a restart does not run it again; a recurring
// schedule's runs are not written (one write a run would be the cost of
// nothing: it resumes at its next fire time).
type scheduleRecord struct {
	Schedule Schedule
	Ran      bool `json:",omitempty"`
}

// entries encodes the schedules one a key.
func (s *Service) entries() (map[string][]byte, error) {
	s.mu.Lock()
	recs := make(map[string]scheduleRecord, len(s.schedules))
	for key, e := range s.schedules {
		recs["schedule/"+key] = scheduleRecord{Schedule: *e.sched, Ran: e.expr.Kind() == schedexpr.At && e.runs > 0}
	}
	s.mu.Unlock()
	out := make(map[string][]byte, len(recs))
	var errs []error
	for key, rec := range recs {
		b, err := json.Marshal(rec)
		out[key] = b
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// save writes the schedules that changed; without Config.Store it does
// nothing. It takes s.mu: the caller must not hold it.
func (s *Service) save() error {
	if s.keep == nil {
		return nil
	}
	if err := s.keep.Save(s.entries); err != nil {
		return fmt.Errorf("schedules not saved: %w", err)
	}
	return nil
}

// Restore reads the schedules of Config.Store back and arms them on the
// emulator's clock: a recurring schedule at its next fire time after now
// (the runs it missed while the emulator was down are not made up), a
// one-time schedule that has not run at its time, at once when that time
// passed while the emulator was down (docs/durability.md §4). A record
// that does not decode or validate is an error naming it: the start stops
// rather than lose the schedule.
func (s *Service) Restore() error {
	if s.keep == nil {
		return nil
	}
	all, err := s.keep.Load()
	if err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	}
	type restored struct {
		key string
		rec scheduleRecord
		e   *entry
	}
	var list []restored
	for key, b := range all {
		rec, e, err := s.decodeSchedule(key, b)
		if err != nil {
			return fmt.Errorf("restore schedules: %s/%s: %w", Bucket, key, err)
		}
		list = append(list, restored{strings.TrimPrefix(key, "schedule/"), rec, e})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range list {
		after := s.now()
		if r.rec.Ran {
			r.e.runs = 1
		} else if r.e.expr.Kind() == schedexpr.At {
			after = r.rec.Schedule.LastModificationDate // a time missed while down is still ahead of it
		}
		in := r.rec.Schedule
		s.add(r.key, &in, r.e, after)
	}
	return nil
}

// decodeSchedule rebuilds the schedule kept under key, validated again.
func (s *Service) decodeSchedule(key string, b []byte) (scheduleRecord, *entry, error) {
	var rec scheduleRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return rec, nil, err
	}
	sc := rec.Schedule
	if key != "schedule/"+scheduleKey(sc.GroupName, sc.Name) {
		return rec, nil, fmt.Errorf("the record is schedule %s/%s", sc.GroupName, sc.Name)
	}
	created, modified := sc.CreationDate, sc.LastModificationDate
	e, err := s.validate(&sc)
	if err != nil {
		return rec, nil, err
	}
	if created.IsZero() || modified.IsZero() {
		return rec, nil, errors.New("the record has no creation or modification date")
	}
	sc.CreationDate, sc.LastModificationDate = created, modified
	rec.Schedule = sc
	return rec, e, nil
}

// saveAfterRun writes a schedule's change a run made: a one-time schedule
// has run, or a schedule deleted itself after its last run. A failure is
// logged: the run happened.
func (s *Service) saveAfterRun(e *entry, at time.Time) {
	if err := s.save(); err != nil {
		s.logger.Error("schedule run not saved", "schedule", e.sched.Arn, "scheduledTime", at, "error", err)
	}
}

// keepIn returns the Entries of st, nil without a store.
func keepIn(st store.Store) *store.Entries {
	if st == nil {
		return nil
	}
	return store.NewEntries(st, Bucket)
}

// SameSettings reports whether two schedules have the same settings, their
// ARNs and dates aside: a template's schedule against the one a state file
// kept.
func SameSettings(a, b Schedule) bool {
	norm := func(s Schedule) Schedule {
		s.GroupName, s.Arn = orDefault(s.GroupName), ""
		s.CreationDate, s.LastModificationDate = time.Time{}, time.Time{}
		if s.State == "" {
			s.State = "ENABLED"
		}
		if s.ActionAfterCompletion == "" {
			s.ActionAfterCompletion = "NONE"
		}
		return s
	}
	x, y := norm(a), norm(b)
	sameTime := func(p, q *time.Time) bool { return p == nil && q == nil || p != nil && q != nil && p.Equal(*q) }
	if !sameTime(x.StartDate, y.StartDate) || !sameTime(x.EndDate, y.EndDate) {
		return false
	}
	x.StartDate, x.EndDate, y.StartDate, y.EndDate = nil, nil, nil, nil
	bx, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return string(bx) == string(by)
}
