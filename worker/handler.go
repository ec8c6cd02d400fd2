package worker

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// Handler does one job. It returns the job's result as JSON, or an error; a
// *JobError names the failure that the state machine sees.
//
// Handlers run concurrently, each in its own goroutine, and should return
// soon after ctx is done (the job was cancelled or the worker is stopping).
type Handler interface {
	Handle(ctx context.Context, job jobwire.Job) (json.RawMessage, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, job jobwire.Job) (json.RawMessage, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
	return f(ctx, job)
}

// The failure names the worker reports itself, as the Name of a JobError:
// strings that become the Task's error, which Retry and Catch match, not Go
// error values. FailureWorkerShutdown is namespaced ("Worker.") so that a
// state machine can retry it alone, on another worker, with
// "ErrorEquals": ["Worker.ShuttingDown"].
const (
	FailureJobFailed      = "JobFailed"           // a handler returned a plain error
	FailureInvalidInput   = "InvalidInput"        // the job's input is unusable
	FailureHandlerPanic   = "HandlerPanic"        // a handler panicked
	FailureJobCancelled   = "JobCancelled"        // a cancel message stopped the job
	FailureWorkerShutdown = "Worker.ShuttingDown" // the worker stopped, or its drain timed out, during the job
	FailureUnknownJobType = "UnknownJobType"      // no handler for the job type
	FailureInvalidResult  = "InvalidResult"       // the result is not valid JSON
	FailureInvalidJob     = "InvalidJob"          // the job message has an unusable field
	FailureWorkerPanic    = "WorkerPanic"         // the worker itself panicked around the job
)

// JobError is a named job failure: Name becomes the Task's error (what Retry
// and Catch match) and Cause its cause.
type JobError struct {
	Name, Cause string
}

func (e *JobError) Error() string { return e.Name + ": " + e.Cause }

// Registry routes jobs to handlers by jobwire.Job.JobType. Jobs without a
// type go to the default handler; jobs of an unregistered type fail with
// UnknownJobType. Register before the worker runs.
type Registry struct {
	byType map[string]Handler
	def    Handler
}

// NewRegistry returns a registry whose default handler is def (nil: jobs
// without a type fail too).
func NewRegistry(def Handler) *Registry {
	return &Registry{byType: map[string]Handler{}, def: def}
}

// Register routes jobs of jobType to h.
func (r *Registry) Register(jobType string, h Handler) {
	r.byType[jobType] = h
}

// Handle runs the handler for job's type.
func (r *Registry) Handle(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
	h := r.def
	if job.JobType != "" {
		h = r.byType[job.JobType]
	}
	if h == nil {
		return nil, &JobError{Name: FailureUnknownJobType, Cause: fmt.Sprintf("no handler for job type %q", job.JobType)}
	}
	return h.Handle(ctx, job)
}

// DefaultHandler returns the registry of stepwire's built-in jobs: "add",
// which is also the default, as in the sample worker, and "sleep", a
// cancellable wait for demos and tests.
func DefaultHandler() *Registry {
	r := NewRegistry(HandlerFunc(Add))
	r.Register("add", HandlerFunc(Add))
	r.Register("sleep", HandlerFunc(Sleep))
	return r
}
