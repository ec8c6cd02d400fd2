// Package lambdaemu is stepwire's Lambda service: a registry of functions,
// each backed by an in-process Go handler (Handler, the method of
// aws-lambda-go's lambda.Handler)
// or by execution environments that run the function's own code as
// processes (procenv), and the Invoke operation with Lambda's result shape,
// function errors and log lines included (docs/lambda.md).
package lambdaemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/stepwire/stepwire/emulator/lambdaemu/fnlog"
	"github.com/stepwire/stepwire/emulator/lambdaemu/procenv"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/gogroup"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/uuid"
)

// ErrFunctionNotFound is returned by Invoke for an unknown function.
var ErrFunctionNotFound = errors.New("function not found")

// ErrClosed is returned by Invoke and InvokeAsync after Close.
var ErrClosed = errors.New("lambda service closed")

// Handler runs one invocation in-process. It is aws-lambda-go's
// lambda.Handler, whose values it accepts, declared here so that the
// emulator does not link that package: its init registers the go1.x RPC
// mode (net/rpc), whose reflect method lookup keeps every exported method
// of every type in the binary (the image would grow by megabytes).
type Handler interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Function is one registered function.
type Function struct {
	// Name is the function name; its ARN is derived from the service's
	// region and account.
	Name string
	// Handler runs the function in-process; nil when Pool is set.
	Handler Handler
	// Pool runs the function's code in processes that speak the Runtime
	// API; the Service closes it.
	Pool *procenv.Pool
	// Config is what GetFunction and ListFunctions report.
	Config Configuration
	// Registered and RevisionID are set by Register.
	Registered time.Time
	RevisionID string
}

// Configuration is a function's settings as the template gives them.
type Configuration struct {
	Runtime, Handler, Description, Role string
	// CodeURI is where the code was read from.
	CodeURI string
	// Timeout is in seconds; MemorySize in MB.
	Timeout    float64
	MemorySize int
	// ReservedConcurrency is ReservedConcurrentExecutions; nil when unset.
	ReservedConcurrency *int
	Environment         map[string]string
}

// Result is what Invoke returns, shaped like Lambda's Invoke response.
type Result struct {
	// Payload is the function's response, or the error object when
	// FunctionError is set.
	Payload []byte
	// FunctionError is "Unhandled" when the function returned an error
	// or panicked.
	FunctionError string
	// ExecutedVersion is always "$LATEST".
	ExecutedVersion string
	// LogTail is the end of the invocation's log, START to REPORT (at
	// most fnlog.MaxTailSize bytes), for LogType Tail.
	LogTail []byte
}

// Service holds the functions.
type Service struct {
	region, account string
	logger          *slog.Logger
	logs            *fnlog.Book

	ctx    context.Context // cancelled by Close; bounds async invocations
	cancel context.CancelFunc
	async  gogroup.Group // Event invocations in flight
	// asyncPending counts them, from InvokeAsync until the handler returns.
	asyncPending atomic.Int64

	mu    sync.RWMutex
	funcs map[string]*Function
}

// New returns an empty Service.
func New(region, account string, logger *slog.Logger) *Service {
	logger = hop.OrDefault(logger)
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{region: region, account: account, logger: logger, ctx: ctx, cancel: cancel,
		funcs: map[string]*Function{}, logs: fnlog.NewBook(logger)}
}

// Logs is every function's log, which process environments write to too.
func (s *Service) Logs() *fnlog.Book { return s.logs }

// Functions returns the registered functions, sorted by name.
func (s *Service) Functions() []*Function {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Function, 0, len(s.funcs))
	for _, f := range s.funcs {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Close refuses further invocations, cancels the context of the Event
// invocations in flight and waits for them to return. It is idempotent.
func (s *Service) Close() {
	if !s.async.Close() {
		return
	}
	s.cancel()
	s.async.Wait()
	for _, f := range s.Functions() {
		if f.Pool != nil {
			f.Pool.Close()
		}
	}
}

// ARN returns the ARN of the function named name.
func (s *Service) ARN(name string) string {
	return arn.LambdaFunction(s.region, s.account, name)
}

// Account is the emulated account.
func (s *Service) Account() string { return s.account }

// Register adds or replaces a function.
func (s *Service) Register(f Function) {
	f.Registered, f.RevisionID = time.Now(), uuid.New()
	s.mu.Lock()
	old := s.funcs[f.Name]
	s.funcs[f.Name] = &f
	s.mu.Unlock()
	if old != nil && old.Pool != nil {
		old.Pool.Close()
	}
}

// Lookup finds a function by name, partial ARN (account:function:name) or
// full ARN, with or without a version qualifier, as Lambda accepts them.
func (s *Service) Lookup(ref string) (*Function, bool) {
	name := FunctionName(ref)
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.funcs[name]
	return f, ok
}

// FunctionName extracts the function name from any of Lambda's
// FunctionName forms: a full ARN, a partial ARN (account:function:name)
// and a name, each with an optional qualifier.
func FunctionName(ref string) string {
	if a, ok := arn.ParseResource(ref, "lambda", "function"); ok {
		return a.Fields[0]
	}
	parts := strings.Split(ref, ":")
	if len(parts) >= 3 && parts[1] == "function" { // account:function:name[:qualifier]
		return parts[2]
	}
	if len(parts) == 2 { // name:qualifier
		return parts[0]
	}
	return ref
}

// Invoke runs a function synchronously (RequestResponse). A function error
// is not a Go error: it comes back as Result.FunctionError with Lambda's
// error payload {"errorMessage", "errorType"}. A handler that panics fails
// the invocation the same way, as the Lambda Go runtime reports panics.
func (s *Service) Invoke(ctx context.Context, ref string, payload []byte) (Result, error) {
	if s.async.Closed() {
		return Result{}, fmt.Errorf("invoke %s: %w", ref, ErrClosed)
	}
	f, ok := s.Lookup(ref)
	if !ok {
		return Result{}, fmt.Errorf("invoke %s: %w", ref, ErrFunctionNotFound)
	}
	return s.run(ctx, f, payload)
}

// run invokes f in its environments, or in-process framed by the same
// START, END and REPORT lines.
func (s *Service) run(ctx context.Context, f *Function, payload []byte) (Result, error) {
	if f.Pool != nil {
		r, err := f.Pool.Invoke(ctx, payload)
		if err != nil {
			return Result{}, err
		}
		res := Result{Payload: r.Payload, ExecutedVersion: "$LATEST", LogTail: r.LogTail}
		if r.FunctionError {
			res.FunctionError = "Unhandled"
		}
		return res, nil
	}
	log := s.logs.Start(f.Name, uuid.New(), "$LATEST", true)
	out, fnErr := s.call(ctx, f, payload)
	tail := log.Finish(fnlog.Report{MemoryMB: f.Config.MemorySize})
	if fnErr != nil {
		return Result{Payload: fnErr, FunctionError: "Unhandled", ExecutedVersion: "$LATEST", LogTail: tail}, nil
	}
	return Result{Payload: out, ExecutedVersion: "$LATEST", LogTail: tail}, nil
}

// InvokeAsync runs a function as an Event invocation: it returns once the
// function is found and runs it in the background, logging its failure.
// Close cancels the invocation's context and waits for it.
func (s *Service) InvokeAsync(ctx context.Context, ref string, payload []byte) error {
	f, ok := s.Lookup(ref)
	if !ok {
		return fmt.Errorf("invoke %s: %w", ref, ErrFunctionNotFound)
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.asyncPending.Add(1)
	started := s.async.Go(func() {
		defer s.asyncPending.Add(-1)
		defer cancel()
		stop := context.AfterFunc(s.ctx, cancel)
		defer stop()
		r, err := s.run(bg, f, payload)
		switch {
		case err != nil:
			s.logger.Warn("async invocation failed", "function", f.Name, "error", err)
		case r.FunctionError != "":
			s.logger.Warn("async invocation failed", "function", f.Name, "error", string(r.Payload))
		}
	})
	if !started {
		s.asyncPending.Add(-1)
		cancel()
		return fmt.Errorf("invoke %s: %w", ref, ErrClosed)
	}
	return nil
}

// AsyncPending returns how many Event invocations have been asked for and
// not yet returned. Test harnesses on virtual time read it to tell whether
// work is in flight.
func (s *Service) AsyncPending() int64 { return s.asyncPending.Load() }

// call runs f's handler and returns its output, or the error payload when
// it returned an error or panicked. A panic is logged with its stack.
func (s *Service) call(ctx context.Context, f *Function, payload []byte) (out, fnErr []byte) {
	defer func() {
		if v := recover(); v != nil {
			fnErr = panicPayload(v)
			s.logger.Error("function panicked", "function", f.Name, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	out, err := f.Handler.Invoke(ctx, payload)
	if err != nil {
		return nil, errorPayload(err)
	}
	return out, nil
}

// errorPayload renders err the way the Lambda Go runtime reports it.
func errorPayload(err error) []byte {
	var ive messages.InvokeResponse_Error
	if errors.As(err, &ive) {
		b, _ := json.Marshal(map[string]string{"errorMessage": ive.Message, "errorType": ive.Type})
		return b
	}
	b, _ := json.Marshal(map[string]string{"errorMessage": err.Error(), "errorType": errorType(err)})
	return b
}

func errorType(err error) string {
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}
