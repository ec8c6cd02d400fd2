package worker

import (
	"context"
	"testing"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// A cancel naming an execution stops every running job of it; an unknown
// or finished job's cancel stops nothing.
func TestJobTableCancelByExecution(t *testing.T) {
	table := newJobTable()
	job := func(token, exec string) (*running, context.Context) {
		ctx, cancel := context.WithCancelCause(context.Background())
		r := &running{token: token, execution: exec, cancel: cancel}
		if !table.add(r) {
			t.Fatalf("add %s refused", token)
		}
		return r, ctx
	}
	a, actx := job("a", "exec-1")
	_, bctx := job("b", "exec-1")
	_, cctx := job("c", "exec-2")
	d, dctx := job("d", "")

	if n := table.cancel(jobwire.Cancel{Kind: jobwire.KindCancel, ExecutionArn: "exec-unknown"}, nil); n != 0 {
		t.Fatalf("unknown execution cancelled %d jobs", n)
	}
	table.remove(a) // finished
	if n := table.cancel(jobwire.Cancel{Kind: jobwire.KindCancel, ExecutionArn: "exec-1"}, context.Canceled); n != 1 {
		t.Fatalf("cancelled %d jobs, want 1 (b)", n)
	}
	if actx.Err() != nil || bctx.Err() == nil || cctx.Err() != nil || dctx.Err() != nil {
		t.Fatalf("contexts a=%v b=%v c=%v d=%v", actx.Err(), bctx.Err(), cctx.Err(), dctx.Err())
	}
	table.remove(d)
	if n := table.cancel(jobwire.Cancel{Kind: jobwire.KindCancel, TaskToken: "d"}, nil); n != 0 {
		t.Fatalf("finished job cancelled: %d", n)
	}
	if len(table.byExec["exec-1"]) != 1 {
		t.Fatalf("byExec[exec-1] = %v", table.byExec["exec-1"])
	}
}
