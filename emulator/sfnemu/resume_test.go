package sfnemu

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/sdkretry"
)

// durableHarness is a harness whose service keeps its executions in st;
// restart closes it and starts another on the same store and clock.
func durableHarness(t *testing.T, st store.Store, clk *clock.Fake, config []byte) *harness {
	t.Helper()
	h := &harness{t: t, clk: clk, jobs: make(chan job, 64)}
	h.invoke = h.dispatch
	h.svc = New(Config{Clock: clk, Store: st, Invoke: func(ctx context.Context, fn string, p []byte) (InvokeResult, error) {
		return h.invoke(ctx, fn, p)
	}})
	if config != nil {
		require.NoError(t, h.svc.RestoreConfig(config))
	}
	require.NoError(t, h.svc.RestoreExecutions())
	r := awsapi.NewRouter()
	r.HandleTarget("AWSStepFunctions", WireHandler(h.svc))
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	t.Cleanup(h.svc.Close)
	h.client = sfn.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     sdkretry.OnClosedConn,
	}, func(o *sfn.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	return h
}

func newDurable(t *testing.T) *harness {
	return durableHarness(t, store.NewMem(), clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), nil)
}

// restart stops h's service as a shutdown does and starts another on its
// store; invoke, when set, is the new service's Lambda.
func (h *harness) restart(invoke func(ctx context.Context, fn string, p []byte) (InvokeResult, error)) *harness {
	h.t.Helper()
	config, err := h.svc.SnapshotConfig()
	require.NoError(h.t, err)
	h.svc.Close()
	return h.restartWith(config, invoke)
}

func (h *harness) restartWith(config []byte, invoke func(ctx context.Context, fn string, p []byte) (InvokeResult, error)) *harness {
	n := &harness{t: h.t, clk: h.clk, jobs: make(chan job, 64)}
	n.invoke = n.dispatch
	if invoke != nil {
		n.invoke = invoke
	}
	svc := New(Config{Clock: h.clk, Store: h.svc.cfg.Store, Invoke: func(ctx context.Context, fn string, p []byte) (InvokeResult, error) {
		return n.invoke(ctx, fn, p)
	}})
	require.NoError(h.t, svc.RestoreConfig(config))
	require.NoError(h.t, svc.RestoreExecutions())
	n.svc = svc
	r := awsapi.NewRouter()
	r.HandleTarget("AWSStepFunctions", WireHandler(svc))
	srv := httptest.NewServer(r)
	h.t.Cleanup(srv.Close)
	h.t.Cleanup(svc.Close)
	n.client = sfn.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     sdkretry.OnClosedConn,
	}, func(o *sfn.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	return n
}

func historyJSON(t *testing.T, h *harness, arn string) string {
	t.Helper()
	b, err := json.Marshal(h.history(arn))
	require.NoError(t, err)
	return string(b)
}

// A closed execution, its description and history, and the listing are
// the same after a restart.
func TestRestartKeepsClosedExecutions(t *testing.T) {
	h := newDurable(t)
	sm := h.createMachine("Passing", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"id.$":"States.UUID()"},"End":true}}}`)
	arn := h.start(sm, `{"a":1}`)
	before := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	hist := historyJSON(t, h, arn)

	h = h.restart(nil)
	after := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.Equal(t, aws.ToString(before.Output), aws.ToString(after.Output))
	require.Equal(t, before.StopDate, after.StopDate)
	require.Equal(t, hist, historyJSON(t, h, arn))
	list, err := h.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Len(t, list.Executions, 1)
	again := h.start(sm, `{}`) // ids go on from the restored ones
	h.waitStatus(again, types.ExecutionStatusSucceeded)
	require.NotEqual(t, arn, again)
}

// A task waiting on its token takes SendTaskSuccess with the same token
// after a restart; the history goes on where it stopped.
func TestRestartResumesTaskToken(t *testing.T) {
	h := newDurable(t)
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{"a":1}`)
	j := h.nextJob()
	h.waitScheduledSubmitted(arn)
	hist := h.history(arn)

	h = h.restart(nil)
	require.Len(t, h.history(arn), len(hist))
	_, err := h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"ok":1}`)})
	require.NoError(t, err)
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"a":1,"lambdaOutput":{"ok":1}}`, aws.ToString(out.Output))
}

// waitScheduledSubmitted waits until the task's submission is logged.
func (h *harness) waitScheduledSubmitted(arn string) {
	h.t.Helper()
	require.Eventually(h.t, func() bool {
		evs := h.history(arn)
		return len(evs) > 0 && evs[len(evs)-1].Type == types.HistoryEventTypeTaskSubmitted
	}, 5*time.Second, time.Millisecond)
}

// A heartbeat timer armed before a restart fires at its original due
// time on the clock.
func TestRestartKeepsHeartbeatDue(t *testing.T) {
	h := newDurable(t)
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":30,"Parameters":{"FunctionName":"dispatch","Payload":{"TaskToken.$":"$$.Task.Token"}},"End":true}}}`
	arn := h.start(h.createMachine("Beating", def), `{}`)
	h.nextJob()
	h.waitScheduledSubmitted(arn)
	due := h.clk.Now().Add(30 * time.Second)
	h.clk.Advance(10 * time.Second)

	h = h.restart(nil)
	h.waitArmed(1)
	next, ok := h.clk.Next()
	require.True(t, ok)
	require.Equal(t, due, next)
	h.clk.AdvanceToNext()
	out := h.waitStatus(arn, types.ExecutionStatusFailed)
	require.Equal(t, "States.Timeout", aws.ToString(out.Error))
}

// A Wait state resumes, and fires at once when its time passed while the
// service was down.
func TestRestartResumesWait(t *testing.T) {
	h := newDurable(t)
	arn := h.start(h.createMachine("Pause", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`), `{"x":1}`)
	h.waitArmed(1)
	h.svc.Close()
	h.clk.Advance(2 * time.Minute)
	h = h.restart(nil)
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"x":1}`, aws.ToString(out.Output))
}

// A Lambda invocation in flight at the restart is invoked again.
func TestRestartRedrivesLambda(t *testing.T) {
	h := newDurable(t)
	called := make(chan struct{}, 1)
	h.invoke = func(ctx context.Context, fn string, p []byte) (InvokeResult, error) {
		called <- struct{}{}
		<-ctx.Done() // the service closes first
		return InvokeResult{}, ctx.Err()
	}
	def := `{"StartAt":"L","States":{"L":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}}`
	arn := h.start(h.createMachine("Invoking", def), `{"n":2}`)
	<-called
	h = h.restart(func(ctx context.Context, fn string, p []byte) (InvokeResult, error) {
		return InvokeResult{Payload: p}, nil
	})
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"n":2}`, aws.ToString(out.Output))
}

// journalKeys returns the keys of the journal beginning with prefix.
func journalKeys(t *testing.T, st store.Store, prefix string, each func(v []byte)) []string {
	t.Helper()
	var keys []string
	require.NoError(t, st.Scan(journalBucket, prefix, func(k string, v []byte) error {
		keys = append(keys, k)
		if each != nil {
			each(v)
		}
		return nil
	}))
	return keys
}

// A definition is journaled once, apart from the executions that run it;
// a restart keeps those its executions name, deletes the others, and
// drops (with a warning) an execution whose definition is gone.
func TestDefinitionsAreJournaledOnce(t *testing.T) {
	h := newDurable(t)
	st := h.svc.cfg.Store
	kept := h.createMachine("Kept", `{"StartAt":"KeptPass","States":{"KeptPass":{"Type":"Pass","End":true}}}`)
	gone := h.createMachine("Gone", `{"StartAt":"GonePass","States":{"GonePass":{"Type":"Pass","End":true}}}`)
	var arns []string
	for range 3 {
		arns = append(arns, h.start(kept, `{}`))
	}
	h.waitStatus(h.start(gone, `{}`), types.ExecutionStatusSucceeded)
	for _, arn := range arns {
		h.waitStatus(arn, types.ExecutionStatusSucceeded)
	}
	require.Eventually(t, func() bool { return len(journalKeys(t, st, "d/", nil)) == 4 }, 10*time.Second, time.Millisecond,
		"closed records committed (flushDelay)")
	require.Len(t, journalKeys(t, st, defPrefix, nil), 2, "one record per definition")
	journalKeys(t, st, "d/", func(v []byte) {
		require.NotContains(t, string(v), "Pass\"", "a closed record holds no definition")
	})

	_, err := h.client.DeleteStateMachine(context.Background(), &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(gone)})
	require.NoError(t, err)
	h = h.restart(nil)
	for _, arn := range arns {
		h.waitStatus(arn, types.ExecutionStatusSucceeded)
	}
	keptKey := defKey(`{"StartAt":"KeptPass","States":{"KeptPass":{"Type":"Pass","End":true}}}`)
	require.Eventually(t, func() bool { return len(journalKeys(t, st, defPrefix, nil)) == 1 }, 10*time.Second, time.Millisecond,
		"the definition no execution names is deleted")
	require.Equal(t, []string{keptKey}, journalKeys(t, st, defPrefix, nil))

	require.NoError(t, st.Apply(store.Del(journalBucket, keptKey)))
	h = h.restart(nil)
	list, err := h.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(kept)})
	require.NoError(t, err)
	require.Empty(t, list.Executions, "executions whose definition is gone are dropped")
}

// A restart numbers its executions past every id an earlier run could
// have used: once retention has freed every execution, a token an
// earlier run issued must not answer a new execution's task.
func TestRestartNumbersExecutionsApart(t *testing.T) {
	h := newDurable(t)
	st := h.svc.cfg.Store
	sm := h.createMachine("OnPremJobs", sampleDefinition)
	old := h.start(sm, `{"n":1}`)
	stale := h.nextJob().Token
	_, err := h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(stale), Output: aws.String(`{}`)})
	require.NoError(t, err)
	h.waitStatus(old, types.ExecutionStatusSucceeded)
	config, err := h.svc.SnapshotConfig()
	require.NoError(t, err)
	h.svc.Close()
	for _, k := range journalKeys(t, st, "d/", nil) { // retention freed it
		require.NoError(t, st.Apply(store.Del(journalBucket, k)))
	}

	h = h.restartWith(config, nil)
	arn := h.start(sm, `{"n":2}`)
	fresh := h.nextJob().Token
	require.NotEqual(t, stale, fresh)
	_, err = h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(stale), Output: aws.String(`{"stale":true}`)})
	require.Error(t, err, "the earlier run's token answered the new execution's task")
	_, err = h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(fresh), Output: aws.String(`{}`)})
	require.NoError(t, err)
	h.waitStatus(arn, types.ExecutionStatusSucceeded)
}
