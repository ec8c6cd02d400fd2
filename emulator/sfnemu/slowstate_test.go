package sfnemu

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
)

// A state whose evaluation is slow must not hold up anyone but its own
// execution (docs/step-functions.md §4.2: StartExecution answers with the
// execution's ARN and start date; the states run afterwards). These tests
// make a state slow without a clock or a sleep: a Pass state draws
// States.UUID() from Config.Random, and the test's reader blocks until the
// test releases it.

// gate is a random source that blocks its readers until released.
type gate struct {
	entered chan struct{} // receives once per Read that blocks
	release chan struct{}
	once    sync.Once
}

func newGate() *gate {
	return &gate{entered: make(chan struct{}, 16), release: make(chan struct{})}
}

func (g *gate) Read(p []byte) (int, error) {
	g.entered <- struct{}{}
	<-g.release
	return rand.Read(p)
}

// open lets every reader through, now and later.
func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

// waitEntered waits until a state is blocked in the gate.
func (g *gate) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("no state reached the gate within 5s")
	}
}

const (
	// slowDefinition's Pass state blocks in the gate while it evaluates.
	slowDefinition = `{"StartAt":"Slow","States":{"Slow":{"Type":"Pass","Parameters":{"u.$":"States.UUID()"},"End":true}}}`
	// slowTimeoutDefinition is slowDefinition with TimeoutSeconds 2.
	slowTimeoutDefinition = `{"TimeoutSeconds":2,"StartAt":"Slow","States":{"Slow":{"Type":"Pass","Parameters":{"u.$":"States.UUID()"},"End":true}}}`
	quickDefinition       = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
)

// slowService is a Service on a fake clock whose random source is a gate.
func slowService(t *testing.T) (*Service, *clock.Fake, *gate) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	g := newGate()
	svc := New(Config{Clock: clk, Random: g})
	t.Cleanup(svc.Close)
	t.Cleanup(g.open) // lets an abandoned step end
	return svc, clk, g
}

func createMachine(t *testing.T, svc *Service, name, typ, definition string) string {
	t.Helper()
	out, err := svc.CreateStateMachine(context.Background(), CreateStateMachineInput{
		Name: name, Definition: definition, RoleArn: roleArn, Type: typ})
	require.NoError(t, err)
	return out.StateMachineArn
}

func startExec(t *testing.T, svc *Service, smArn string) string {
	t.Helper()
	out, err := svc.StartExecution(context.Background(), StartExecutionInput{StateMachineArn: smArn})
	require.NoError(t, err)
	return out.ExecutionArn
}

func historyTypes(t *testing.T, svc *Service, arn string) []string {
	t.Helper()
	h, err := svc.GetExecutionHistory(context.Background(), GetExecutionHistoryInput{ExecutionArn: arn})
	require.NoError(t, err)
	out := make([]string, len(h.Events))
	for i, ev := range h.Events {
		out[i] = string(ev.Type)
	}
	return out
}

// StartExecution answers once ExecutionStarted is logged; while the first
// state evaluates, Start, List and Describe of the same and other machines
// answer, and other executions run to their end.
func TestSlowStateBlocksNoOne(t *testing.T) {
	svc, _, g := slowService(t)
	ctx := context.Background()
	slow := createMachine(t, svc, "Slow", "", slowDefinition)
	fast := createMachine(t, svc, "Fast", "", quickDefinition)

	slowArn := startExec(t, svc, slow)
	g.waitEntered(t)
	d, err := svc.DescribeExecution(ctx, slowArn)
	require.NoError(t, err)
	require.Equal(t, interp.StatusRunning, d.Status)
	require.Equal(t, []string{"ExecutionStarted"}, historyTypes(t, svc, slowArn))

	fastArn := startExec(t, svc, fast)
	status, err := svc.WaitExecution(ctx, fastArn)
	require.NoError(t, err)
	require.Equal(t, interp.StatusSucceeded, status)
	for _, sm := range []string{slow, fast} {
		list, err := svc.ListExecutions(ctx, ListExecutionsInput{StateMachineArn: sm})
		require.NoError(t, err)
		require.Len(t, list.Executions, 1)
	}
	second := startExec(t, svc, slow) // its state waits behind the gate too
	require.NotEqual(t, slowArn, second)

	g.open()
	for _, arn := range []string{slowArn, second} {
		status, err = svc.WaitExecution(ctx, arn)
		require.NoError(t, err)
		require.Equal(t, interp.StatusSucceeded, status)
	}
	require.Equal(t, []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"},
		historyTypes(t, svc, slowArn))
}

// docs/step-functions.md §3.3 G: the execution's TimeoutSeconds ends it
// with ExecutionTimedOut (previousEventId 0) even while a state evaluates;
// the state's result, when it comes, is discarded.
func TestTimeoutSecondsEndsASlowState(t *testing.T) {
	svc, clk, g := slowService(t)
	arn := startExec(t, svc, createMachine(t, svc, "Slow", "", slowTimeoutDefinition))
	g.waitEntered(t)
	clk.Advance(2 * time.Second)
	requireEndedDuringSlowState(t, svc, g, arn, "TIMED_OUT", "ExecutionTimedOut")
	d, err := svc.DescribeExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Nil(t, d.Error) // §3.3 G: no error or cause key
	require.Equal(t, clk.Now(), d.StopDate)
}

// docs/step-functions.md §2.4: StopExecution aborts at once, with its error
// and cause, even while a state evaluates; the state's result is discarded.
func TestStopExecutionEndsASlowState(t *testing.T) {
	svc, _, g := slowService(t)
	arn := startExec(t, svc, createMachine(t, svc, "Slow", "", slowDefinition))
	g.waitEntered(t)
	errStr, cause := "Manual", "probe"
	_, err := svc.StopExecution(context.Background(), StopExecutionInput{ExecutionArn: arn, Error: &errStr, Cause: &cause})
	require.NoError(t, err)
	requireEndedDuringSlowState(t, svc, g, arn, "ABORTED", "ExecutionAborted")
	d, err := svc.DescribeExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Equal(t, "Manual", *d.Error)
	require.Equal(t, "probe", *d.Cause)
}

// requireEndedDuringSlowState checks an execution that ended while its
// state was blocked in the gate, then releases the gate and checks that
// the state's result changed nothing.
func requireEndedDuringSlowState(t *testing.T, svc *Service, g *gate, arn, status, terminal string) {
	t.Helper()
	want := []string{"ExecutionStarted", terminal}
	d, err := svc.DescribeExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Equal(t, status, string(d.Status))
	h, err := svc.GetExecutionHistory(context.Background(), GetExecutionHistoryInput{ExecutionArn: arn})
	require.NoError(t, err)
	require.Equal(t, want, historyTypes(t, svc, arn))
	require.Equal(t, int64(2), h.Events[1].ID)
	require.Equal(t, int64(0), h.Events[1].PreviousEventID)

	g.open()
	require.Eventually(t, func() bool { return svc.Driving() == 0 }, 5*time.Second, time.Millisecond)
	require.Equal(t, want, historyTypes(t, svc, arn))
	d, err = svc.DescribeExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Equal(t, status, string(d.Status))
}

// docs/step-functions.md §6.1: an Express execution lasts at most five
// minutes; StartSyncExecution answers TIMED_OUT at five minutes on the
// service clock even while a state evaluates.
func TestStartSyncExecutionIsBoundedByFiveMinutes(t *testing.T) {
	svc, clk, g := slowService(t)
	sm := createMachine(t, svc, "Slow", typeExpress, slowDefinition)
	done := make(chan SyncExecution, 1)
	go func() {
		out, err := svc.StartSyncExecution(context.Background(), StartSyncExecutionInput{StateMachineArn: sm})
		if err != nil {
			t.Error(err)
		}
		done <- out
	}()
	g.waitEntered(t)
	clk.Advance(299 * time.Second)
	select {
	case <-done:
		t.Fatal("StartSyncExecution answered before five minutes")
	default:
	}
	clk.Advance(time.Second)
	var out SyncExecution
	select {
	case out = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("StartSyncExecution did not answer at five minutes")
	}
	require.Equal(t, interp.StatusTimedOut, out.Status)
	require.Equal(t, int64(300000), out.Billing.DurationMillis)
}
