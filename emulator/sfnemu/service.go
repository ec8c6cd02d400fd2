// Package sfnemu emulates the AWS Step Functions service: state machines,
// executions driven by the pure interpreter (emulator/interp), task tokens,
// timers on an injected clock, and the Lambda integrations. Its API is
// typed Go methods (CreateStateMachine, StartExecution, SendTaskSuccess,
// ...) that return *Error values carrying a sentinel; emulator/sfnemu/sfnapi
// serves them over awsJson1_0 for the aws CLI and the SDKs, and
// emulator/sfnemu/mockconfig reads the mock configurations of test cases.
package sfnemu

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/gogroup"
	"github.com/stepwire/stepwire/internal/hop"
)

// Config configures a Service.
type Config struct {
	// Clock arms every timer; clock.Real{} when nil.
	Clock clock.Clock
	// MaxEvalSteps and MaxEvalBytes bound each JSONata, JSONPath and
	// intrinsic evaluation (interp.Options; zero: the interpreter's
	// defaults). An evaluation also gives up once its execution has ended
	// (StopExecution, the execution timeout) or the service closes.
	MaxEvalSteps, MaxEvalBytes int64
	// Region and Account build ARNs; arn.DefaultRegion and arn.DefaultAccount by default.
	Region, Account string
	// Invoke calls a Lambda function synchronously (RequestResponse). The
	// function is named as the state machine names it: a name, a partial
	// or a full ARN. An error wrapping ErrFunctionNotFound fails the task
	// with Lambda.ResourceNotFoundException, any other error with
	// Lambda.ServiceException.
	Invoke func(ctx context.Context, function string, payload []byte) (InvokeResult, error)
	// Logger receives one Info record "hop" per step of the job path;
	// slog.Default() when nil.
	Logger *slog.Logger
	// TokenKey authenticates task tokens; random when nil.
	TokenKey []byte
	// Random is the source of every random draw of an execution:
	// States.UUID, States.MathRandom, FULL retry jitter and the version an
	// alias routes to; crypto/rand.Reader when nil. Identifiers (default
	// execution names, request and revision ids) and task-token keys do
	// not use it.
	Random io.Reader
	// RetainPerMachine is how many closed executions of each state
	// machine stay readable; older ones are freed (retention.go).
	// DefaultRetainPerMachine when 0, no limit when negative.
	RetainPerMachine int
	// RetainFor is how long a closed execution stays readable after it
	// stopped, on Clock. DefaultRetainFor when 0, no limit when negative.
	RetainFor time.Duration
	// StatusChange receives every status change of a Standard execution,
	// as Step Functions sends them to EventBridge: RUNNING when it starts,
	// then SUCCEEDED, FAILED, TIMED_OUT or ABORTED (docs/eventbridge.md
	// §1). Calls come in order, one at a time, on a service goroutine with
	// no lock held; nil sends nothing.
	StatusChange func(ctx context.Context, ev StatusChangeEvent)
	// Store, when set, keeps Standard executions, their histories and the
	// task-token key, so that RestoreExecutions rebuilds and resumes them
	// after a restart (docs/durability.md §6); nil keeps them in memory.
	Store store.Store
}

// InvokeResult is a Lambda Invoke response.
type InvokeResult struct {
	// Payload is the function's response, or its error object
	// {"errorType","errorMessage",...} when FunctionError is set.
	Payload []byte
	// FunctionError is "Unhandled" (or "Handled") when the function failed.
	FunctionError string
	// ExecutedVersion is the version that ran; "$LATEST" when empty.
	ExecutedVersion string
}

// Service is an in-memory Step Functions service. It is safe for
// concurrent use.
type Service struct {
	cfg    Config
	log    *slog.Logger
	tokens *tokenCodec
	randMu sync.Mutex // serialises reads of cfg.Random

	ctx    context.Context // cancelled by Close; bounds integrations
	cancel context.CancelFunc
	work   gogroup.Group // integrations and past-due timers in flight

	mu       sync.RWMutex
	machines map[string]*stateMachine // by ARN
	order    []*stateMachine          // creation order

	actMu      sync.RWMutex
	activities map[string]*activity // by ARN
	actOrder   []*activity          // creation order

	mocks mockTable // the mock config and its executions' test-case runs

	execMu    sync.RWMutex
	execByID  map[uint64]*execution
	execByArn map[string]*execution
	nextExec  atomic.Uint64
	drivers   atomic.Int64 // executions whose Machine a goroutine drives

	retention retention
	journal   *journal            // nil without Config.Store
	revCache  map[string]revision // while RestoreExecutions runs
	defs      defKeys             // definitions journaled (journal_defs.go)
	toResume  []*execution        // loaded, not yet resumed (restore.go)
	statusQ   statusQueue         // status changes for cfg.StatusChange
	nextSweep atomic.Int64        // unix nanoseconds of the next sweep (retention.go)
	mapRunIdx sync.Map            // Map Run ARN -> *execution (mapruns.go)
	childIdx  sync.Map            // child execution ARN -> *childRef (mapruns_children.go)
	// machineOpts is what every execution's Machine options share
	// (machineOptions): its functions are made once, not per execution.
	machineOpts interp.Options
}

// New returns a Service configured by cfg.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	cfg.Region, cfg.Account = arn.Or(cfg.Region, cfg.Account)
	log := hop.OrDefault(cfg.Logger)
	ctx, cancel := context.WithCancel(context.Background())
	var j *journal
	if cfg.Store != nil {
		j = newJournal(cfg.Store)
	}
	s := &Service{
		cfg: cfg, log: log, tokens: newTokenCodec(cfg.TokenKey), journal: j,
		ctx: ctx, cancel: cancel,
		machines:   map[string]*stateMachine{},
		activities: map[string]*activity{},
		execByID:   map[uint64]*execution{},
		execByArn:  map[string]*execution{},
		retention:  newRetention(cfg.RetainPerMachine, cfg.RetainFor),
	}
	s.machineOpts = interp.Options{Region: cfg.Region, Account: cfg.Account,
		NewUUID: s.newUUID, Random: s.randomInt,
		ActivityExists: func(arn string) bool { _, err := s.activity(arn); return err == nil },
		MaxEvalSteps:   cfg.MaxEvalSteps, MaxEvalBytes: cfg.MaxEvalBytes}
	return s
}

// spawn runs f, work for execution e, in a goroutine that Close waits
// for. A panic in f fails e with States.Runtime instead of the process. It
// reports false, not running f, once the service is closed.
func (s *Service) spawn(e *execution, what string, f func()) bool {
	return s.work.Go(func() {
		defer s.recoverExecution(e, what)
		f()
	})
}

// hopsOn reports whether hop records are logged; callers check it first,
// so that a disabled logger costs no attribute list.
func (s *Service) hopsOn() bool { return hop.Enabled(context.Background(), s.log) }

// closed reports whether Close was called.
func (s *Service) closed() bool { return s.work.Closed() }
