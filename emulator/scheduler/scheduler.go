// Package scheduler is stepwire's Amazon EventBridge Scheduler service and
// the clock behind every scheduled start: the schedules CreateSchedule
// makes, and the schedules of EventBridge rules with a ScheduleExpression
// (a SAM state machine's Events of type Schedule). Each enabled schedule
// holds one timer on the emulator's clock, armed for its next fire time,
// so a fake clock runs a nightly job in milliseconds (docs/eventbridge.md
// §6, §7). Targets are reached through Config.Start, which the composition
// root wires to Step Functions and Lambda: this package imports no other
// service. The wire layer is emulator/scheduler/schedulerapi.
package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// StartFunc runs a target once: targetArn is a state machine, a Lambda
// function or the universal target of sfn:startExecution, input the
// payload (docs/eventbridge.md §7.3).
type StartFunc func(ctx context.Context, targetArn, input string) error

// DefaultMaxSchedules bounds the schedules of one emulator, Scheduler's
// and rules' together.
const DefaultMaxSchedules = 10000

// Config configures a Service.
type Config struct {
	// Region and Account name the emulated account.
	Region, Account string
	// Clock arms the schedules' timers; the real clock by default.
	Clock clock.Clock
	// Start runs targets; nil drops every run.
	Start StartFunc
	// MaxSchedules bounds the number of schedules (DefaultMaxSchedules
	// when zero).
	MaxSchedules int
	// Logger receives failed runs; slog.Default() when nil.
	Logger *slog.Logger
	// Store keeps the Scheduler schedules across restarts (Restore);
	// nil keeps them in memory only.
	Store store.Store
}

// Sentinel errors, each inside an *svcerr.Error whose detail is AWS's
// message. Only schedulerapi knows their AWS codes.
var (
	ErrValidation    = errors.New("validation failed")
	ErrNotFound      = errors.New("resource not found")
	ErrConflict      = errors.New("conflict")
	ErrQuotaExceeded = errors.New("service quota exceeded")
)

// Service holds the schedules of one account and region.
type Service struct {
	cfg    Config
	logger *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	schedules map[string]*entry // Scheduler's, by group/name
	rules     map[string]*entry // rules', by rule name
	keep      *store.Entries    // the schedules in Config.Store; nil without one
	closed    bool
}

// New returns a Service without schedules.
func New(cfg Config) *Service {
	cfg.Region, cfg.Account = arn.Or(cfg.Region, cfg.Account)
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.MaxSchedules <= 0 {
		cfg.MaxSchedules = DefaultMaxSchedules
	}
	s := &Service{cfg: cfg, logger: hop.OrDefault(cfg.Logger), schedules: map[string]*entry{}, rules: map[string]*entry{},
		keep: keepIn(cfg.Store)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Close stops every timer; a run in progress sees its context cancelled.
func (s *Service) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, m := range []map[string]*entry{s.schedules, s.rules} {
		for _, e := range m {
			e.disarm()
		}
	}
	s.cancel()
}

// full reports whether another schedule would pass MaxSchedules; s.mu held.
func (s *Service) full() bool { return len(s.schedules)+len(s.rules) >= s.cfg.MaxSchedules }

// quotaExceeded is the error past MaxSchedules.
func (s *Service) quotaExceeded() error {
	return svcerr.Newf(ErrQuotaExceeded, "The number of schedules would exceed stepwire's limit of %d.", s.cfg.MaxSchedules)
}

// now reads the service's clock.
func (s *Service) now() time.Time { return s.cfg.Clock.Now() }
