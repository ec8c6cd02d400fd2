package scheduler

import (
	"regexp"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/scheduler/schedexpr"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// DefaultGroup is the schedule group every account has, the only one
// stepwire has.
const DefaultGroup = "default"

// Schedule is an EventBridge Scheduler schedule (docs/eventbridge.md §7).
type Schedule struct {
	Name, GroupName, Arn       string
	ScheduleExpression         string
	ScheduleExpressionTimezone string // "" is UTC
	StartDate, EndDate         *time.Time
	State                      string // ENABLED or DISABLED
	Description                string
	FlexibleTimeWindow         FlexibleTimeWindow
	Target                     Target
	ActionAfterCompletion      string // NONE or DELETE
	CreationDate               time.Time
	LastModificationDate       time.Time
}

// FlexibleTimeWindow is the window a run may be delayed within. stepwire
// runs at the start of the window, the scheduled time.
type FlexibleTimeWindow struct {
	Mode                   string // OFF or FLEXIBLE
	MaximumWindowInMinutes int
}

// Target is what a schedule runs.
type Target struct {
	Arn, RoleArn string
	// Input is the payload (JSON for a state machine); "{}" when empty.
	Input string
	// RetryPolicy is kept as given and returned by Get; stepwire does not
	// retry a failed run.
	RetryPolicy []byte
}

var nameRe = regexp.MustCompile(`^[0-9a-zA-Z\-_.]{1,64}$`)

// maxInput bounds a target's input: Step Functions' payload limit.
const maxInput = 262144

func invalid(format string, args ...any) error { return svcerr.Newf(ErrValidation, format, args...) }

// Create adds a schedule and arms it (CreateSchedule). With Config.Store
// it returns once the schedule is written.
func (s *Service) Create(in Schedule) (string, error) {
	if err := s.create(&in); err != nil {
		return "", err
	}
	return in.Arn, s.save()
}

func (s *Service) create(in *Schedule) error {
	e, err := s.validate(in)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := scheduleKey(in.GroupName, in.Name)
	if _, ok := s.schedules[key]; ok {
		return svcerr.Newf(ErrConflict, "Schedule %s already exists.", in.Name)
	}
	if s.full() {
		return s.quotaExceeded()
	}
	in.CreationDate, in.LastModificationDate = s.now(), s.now()
	s.add(key, in, e, s.now())
	return nil
}

// Update replaces a schedule's settings and re-arms it (UpdateSchedule).
// With Config.Store it returns once the change is written.
func (s *Service) Update(in Schedule) (string, error) {
	if err := s.update(&in); err != nil {
		return "", err
	}
	return in.Arn, s.save()
}

func (s *Service) update(in *Schedule) error {
	e, err := s.validate(in)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := scheduleKey(in.GroupName, in.Name)
	old, ok := s.schedules[key]
	if !ok {
		return notFound(in.Name)
	}
	old.disarm()
	in.CreationDate, in.LastModificationDate = old.sched.CreationDate, s.now()
	s.add(key, in, e, s.now())
	return nil
}

// add stores a validated schedule and arms it for its next fire time after
// after; s.mu held.
func (s *Service) add(key string, in *Schedule, e *entry, after time.Time) {
	e.base = in.CreationDate
	if in.StartDate != nil {
		e.base = *in.StartDate
	}
	sched := *in
	e.sched = &sched
	e.run = func(at time.Time) { s.runSchedule(&sched, at) }
	if in.ActionAfterCompletion == "DELETE" {
		e.done = func() { delete(s.schedules, key) }
	}
	s.schedules[key] = e
	s.arm(e, after)
}

// Get returns a schedule (GetSchedule).
func (s *Service) Get(group, name string) (Schedule, error) {
	group = orDefault(group)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.schedules[group+"/"+name]
	if !ok {
		return Schedule{}, notFound(name)
	}
	return *e.sched, nil
}

// Delete removes a schedule and its timer (DeleteSchedule). With
// Config.Store it returns once the schedule is deleted from it.
func (s *Service) Delete(group, name string) error {
	if err := s.delete(group, name); err != nil {
		return err
	}
	return s.save()
}

// scheduleKey is a schedule's key in Service.schedules: its group and
// name.
func scheduleKey(group, name string) string { return group + "/" + name }

func (s *Service) delete(group, name string) error {
	group = orDefault(group)
	s.mu.Lock()
	defer s.mu.Unlock()
	key := scheduleKey(group, name)
	e, ok := s.schedules[key]
	if !ok {
		return notFound(name)
	}
	e.disarm()
	delete(s.schedules, key)
	return nil
}

// List returns the schedules of a group (all groups when ""), whose name
// starts with prefix and, when state is not "", in that state, sorted by
// group and name.
func (s *Service) List(group, prefix, state string) []Schedule {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Schedule
	for _, key := range sortedKeys(s.schedules) {
		sc := s.schedules[key].sched
		if (group == "" || sc.GroupName == group) && strings.HasPrefix(sc.Name, prefix) && (state == "" || sc.State == state) {
			out = append(out, *sc)
		}
	}
	return out
}

// Runs returns how many times a schedule has fired.
func (s *Service) Runs(group, name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.schedules[orDefault(group)+"/"+name]; ok {
		return e.runs
	}
	return 0
}

func notFound(name string) error {
	return svcerr.Newf(ErrNotFound, "Schedule %s does not exist.", name)
}

func orDefault(group string) string {
	if group == "" {
		return DefaultGroup
	}
	return group
}

// validate checks a schedule, fills its defaults and ARN, and returns its
// timing (docs/eventbridge.md §7.2).
func (s *Service) validate(in *Schedule) (*entry, error) {
	in.GroupName = orDefault(in.GroupName)
	if !nameRe.MatchString(in.Name) {
		return nil, invalid("Name %q must be 1 to 64 characters from [0-9a-zA-Z-_.].", in.Name)
	}
	if in.GroupName != DefaultGroup {
		return nil, svcerr.Newf(ErrNotFound, "Schedule group %s does not exist.", in.GroupName)
	}
	expr, err := schedexpr.Parse(in.ScheduleExpression)
	if err != nil {
		return nil, invalid("Invalid Schedule Expression %s.", in.ScheduleExpression)
	}
	loc, err := loadZone(in.ScheduleExpressionTimezone)
	if err != nil {
		return nil, err
	}
	if err := checkSettings(in); err != nil {
		return nil, err
	}
	in.Arn = arn.Scheduler(s.cfg.Region, s.cfg.Account, "schedule/"+in.GroupName+"/"+in.Name)
	e := &entry{expr: expr, loc: loc, start: in.StartDate, end: in.EndDate, enabled: in.State == "ENABLED"}
	return e, nil
}

// checkSettings checks and defaults the fields beside the expression.
func checkSettings(in *Schedule) error {
	if in.State == "" {
		in.State = "ENABLED"
	}
	if in.State != "ENABLED" && in.State != "DISABLED" {
		return invalid("State must be ENABLED or DISABLED.")
	}
	if in.ActionAfterCompletion == "" {
		in.ActionAfterCompletion = "NONE"
	}
	if in.ActionAfterCompletion != "NONE" && in.ActionAfterCompletion != "DELETE" {
		return invalid("ActionAfterCompletion must be NONE or DELETE.")
	}
	if err := checkWindow(in.FlexibleTimeWindow); err != nil {
		return err
	}
	if in.StartDate != nil && in.EndDate != nil && !in.EndDate.After(*in.StartDate) {
		return invalid("The EndDate must be after the StartDate.")
	}
	if len(in.Description) > 512 {
		return invalid("Description must be at most 512 characters.")
	}
	return checkTarget(in.Target)
}

func checkWindow(w FlexibleTimeWindow) error {
	switch w.Mode {
	case "OFF":
		return nil
	case "FLEXIBLE":
		if w.MaximumWindowInMinutes < 1 || w.MaximumWindowInMinutes > 1440 {
			return invalid("MaximumWindowInMinutes must be from 1 to 1440 when Mode is FLEXIBLE.")
		}
		return nil
	}
	return invalid("FlexibleTimeWindow.Mode must be OFF or FLEXIBLE.")
}

// UniversalStartExecution is the universal target that calls Step
// Functions' StartExecution with the input as its request.
const UniversalStartExecution = "arn:aws:scheduler:::aws-sdk:sfn:startExecution"

// checkTarget accepts the targets stepwire runs: a state machine, a Lambda
// function, or sfn:startExecution's universal target.
func checkTarget(t Target) error {
	if t.RoleArn == "" {
		return invalid("Target.RoleArn is required.")
	}
	if len(t.Input) > maxInput {
		return invalid("Target.Input must be at most %d bytes.", maxInput)
	}
	if t.Arn == UniversalStartExecution {
		return nil
	}
	a, err := arn.Parse(t.Arn)
	if err != nil || !(a.Service == "states" && strings.HasPrefix(a.Resource, "stateMachine:") ||
		a.Service == "lambda" && strings.HasPrefix(a.Resource, "function:")) {
		return invalid("Target.Arn %s: stepwire runs state machine, Lambda function and %s targets.", t.Arn, UniversalStartExecution)
	}
	return nil
}

// loadZone loads an IANA time zone name ("" is UTC).
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, invalid("Invalid time zone %s.", name)
	}
	return loc, nil
}
