// Package events is stepwire's Amazon EventBridge service: the account's
// default event bus, rules with event patterns, their targets, PutEvents,
// and delivery of each event to the targets of the enabled rules it
// matches (docs/eventbridge.md). It is the typed domain service; the wire
// layer is emulator/events/eventsapi. Targets are reached through
// Config.Deliver, which the composition root wires to Lambda's Event
// invocation: this package imports no other service.
package events

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/gogroup"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/uuid"
)

// DefaultBus is the name of the account's default event bus, the only bus
// stepwire has.
const DefaultBus = "default"

// DeliverFunc hands a payload to a target, for a Lambda function an Event
// (asynchronous) invocation (docs/eventbridge.md §4).
type DeliverFunc func(ctx context.Context, targetArn string, payload []byte) error

// Config configures a Service.
type Config struct {
	// Region and Account name the emulated account (arn.DefaultRegion and
	// arn.DefaultAccount by default).
	Region, Account string
	// Clock gives the time of events put without one; the real clock by
	// default.
	Clock clock.Clock
	// Deliver reaches targets; nil drops every delivery.
	Deliver DeliverFunc
	// NewID makes event ids; uuid.New by default.
	NewID func() string
	// Logger receives delivery failures; slog.Default() when nil.
	Logger *slog.Logger
	// Store keeps the rules across restarts (Save, Restore); nil keeps
	// them in memory only.
	Store store.Store
}

// Service is the EventBridge service of one account and region.
type Service struct {
	cfg    Config
	logger *slog.Logger

	mu    sync.Mutex
	rules map[string]*rule // by name, on the default bus
	keep  *store.Entries   // the rules in Config.Store; nil without one

	queue  queue
	group  gogroup.Group
	ctx    context.Context
	cancel context.CancelFunc
}

// New returns a Service with an empty default bus.
func New(cfg Config) *Service {
	cfg.Region, cfg.Account = arn.Or(cfg.Region, cfg.Account)
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.NewID == nil {
		cfg.NewID = uuid.New
	}
	s := &Service{cfg: cfg, logger: hop.OrDefault(cfg.Logger), rules: map[string]*rule{}, keep: keepIn(cfg.Store)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Close stops delivering: deliveries not yet handed to Deliver are
// dropped, and Close waits for the one in progress.
func (s *Service) Close() {
	s.group.Close()
	s.cancel()
	s.group.Wait()
}

// Region is the service's region.
func (s *Service) Region() string { return s.cfg.Region }

// Account is the service's account id.
func (s *Service) Account() string { return s.cfg.Account }

// BusArn is the ARN of the default event bus.
func (s *Service) BusArn() string {
	return s.arnOf("event-bus/" + DefaultBus)
}

// ruleArn is a rule's ARN on the default bus (docs/eventbridge.md §3.2).
func (s *Service) ruleArn(name string) string {
	return s.arnOf("rule/" + name)
}

// arnOf is arn:aws:events:<region>:<account>:<resource>.
func (s *Service) arnOf(resource string) string {
	return "arn:aws:events:" + s.cfg.Region + ":" + s.cfg.Account + ":" + resource
}

// checkBus accepts the default bus by name or ARN ("" is the default) and
// refuses any other (docs/eventbridge.md §3.2).
func (s *Service) checkBus(name string) error {
	if s.isDefaultBus(name) {
		return nil
	}
	return failf(ErrResourceNotFound, "Event bus %s does not exist.", busName(name))
}

func (s *Service) isDefaultBus(name string) bool {
	return name == "" || name == DefaultBus || name == s.BusArn()
}

// busName is the name in a bus name or ARN.
func busName(nameOrArn string) string {
	if i := strings.LastIndex(nameOrArn, "event-bus/"); strings.HasPrefix(nameOrArn, "arn:") && i >= 0 {
		return nameOrArn[i+len("event-bus/"):]
	}
	return nameOrArn
}
