// Package procenv runs Lambda functions as AWS does: each execution
// environment is an operating-system process (a provided runtime's
// bootstrap, or the local Python or Node.js running stepwire's runtime
// interface client) that pulls its invocations from the Lambda Runtime API
// this package serves to it (docs/lambda.md §1, §2).
//
// A Pool keeps a function's environments: started on demand up to a cap,
// reused warm, reaped when idle, killed with their process group on
// timeout, crash and Close, so no function process outlives the emulator.
package procenv

import (
	"errors"
	"log/slog"
	"time"

	"github.com/stepwire/stepwire/emulator/lambdaemu/fnlog"
)

// Defaults of a Spec.
const (
	DefaultMaxEnvironments = 10
	DefaultIdleTimeout     = 5 * time.Minute
	// InitTimeout is Lambda's limit on the init phase: the runtime must
	// reach /next within it (docs/lambda.md §1.3).
	InitTimeout = 10 * time.Second
)

// ErrTooManyRequests is Invoke's answer when the function's reserved
// concurrency is in use: Lambda's TooManyRequestsException (reason
// ReservedFunctionConcurrentInvocationLimitExceeded).
var ErrTooManyRequests = errors.New("rate exceeded: the function's concurrency limit is reached")

// ErrClosed is returned by Invoke after Close.
var ErrClosed = errors.New("function environments closed")

// Spec says how to run one function's environments.
type Spec struct {
	// Name and ARN name the function; Version is "$LATEST".
	Name, ARN, Version string
	// Command is the process to start, Command[0] a path or a name on
	// PATH, run in Dir (LAMBDA_TASK_ROOT).
	Command []string
	Dir     string
	// Env is the process's whole environment, without
	// AWS_LAMBDA_RUNTIME_API, which each environment adds (Variables).
	Env []string
	// Timeout is the function's Timeout; MemoryMB its MemorySize.
	Timeout  time.Duration
	MemoryMB int
	// MaxEnvironments caps concurrent environments
	// (DefaultMaxEnvironments when zero): the emulator's bound on
	// processes, not an AWS limit, so an invocation past it waits for an
	// environment to come free.
	MaxEnvironments int
	// Reserved, when set, is the function's ReservedConcurrentExecutions:
	// an invocation past it is throttled (ErrTooManyRequests), as on AWS;
	// 0 throttles every invocation.
	Reserved *int
	// IdleTimeout is how long an idle environment is kept warm
	// (DefaultIdleTimeout when zero).
	IdleTimeout time.Duration
	// InitTimeout bounds the init phase (InitTimeout when zero).
	InitTimeout time.Duration
	// Log receives the START/END/REPORT frame and the process's output.
	Log *fnlog.Book
	// Logger receives the pool's own records.
	Logger *slog.Logger
}

func (s Spec) withDefaults() Spec {
	if s.MaxEnvironments <= 0 {
		s.MaxEnvironments = DefaultMaxEnvironments
	}
	if s.IdleTimeout <= 0 {
		s.IdleTimeout = DefaultIdleTimeout
	}
	if s.InitTimeout <= 0 {
		s.InitTimeout = InitTimeout
	}
	if s.Version == "" {
		s.Version = "$LATEST"
	}
	if s.Log == nil {
		s.Log = fnlog.NewBook(s.Logger)
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	return s
}

// Result is one invocation's outcome, shaped like Lambda's Invoke
// response.
type Result struct {
	// Payload is the function's response, or the error object when
	// FunctionError is set.
	Payload []byte
	// FunctionError is true when the function or its runtime failed;
	// Invoke's X-Amz-Function-Error is then "Unhandled".
	FunctionError bool
	// LogTail is the last 4 KB of the invocation's log.
	LogTail []byte
}
