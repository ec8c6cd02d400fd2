package sfnemu

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/store"
)

// A redrive on a durable service is kept across restarts
// (docs/durability.md §6): the execution restarts RUNNING with its
// redrive count, completes with the new task token, and its history is
// the one an in-memory service logs for the same calls.
//
// Histories are read from the service, not through the SDK client, whose
// reads of responses over about 4 KB fail now and then with "use of
// closed network connection" in this harness.
func TestRedriveKeptAcrossRestart(t *testing.T) {
	mem := redriveToSuccess(t, newHarness(t), func(h *harness) *harness { return h })
	durable := redriveToSuccess(t, newDurable(t), func(h *harness) *harness {
		config, err := h.svc.SnapshotConfig()
		require.NoError(t, err)
		return h.restartTwice(config)
	})
	require.Equal(t, eventShape(mem), eventShape(durable))
}

// redriveToSuccess fails a callback task, redrives the execution,
// restarts, and completes it; it returns the history.
func redriveToSuccess(t *testing.T, h *harness, restart func(*harness) *harness) []interp.HistoryEvent {
	ctx := context.Background()
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{"a":1}`)
	h.failJob(arn)
	token := aws.String("redrive-1")
	out, err := h.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn), ClientToken: token})
	require.NoError(t, err)
	j := h.nextJob()
	h.waitSubmitted(arn)

	h = restart(h)
	d := h.waitStatus(arn, types.ExecutionStatusRunning)
	require.Equal(t, int32(1), aws.ToInt32(d.RedriveCount))
	require.Equal(t, out.RedriveDate.Unix(), d.RedriveDate.Unix())
	again, err := h.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn), ClientToken: token})
	require.NoError(t, err, "the client token is kept")
	require.Equal(t, out.RedriveDate.Unix(), again.RedriveDate.Unix())
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"ok":1}`)})
	require.NoError(t, err)
	d = h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"a":1,"lambdaOutput":{"ok":1}}`, aws.ToString(d.Output))
	require.Equal(t, int32(1), aws.ToInt32(d.RedriveCount))
	hist := h.events(arn)
	h = restart(h)
	require.Equal(t, mustJSON(t, h.events(arn)), mustJSON(t, hist), "a restart replays the same history")
	return hist
}

// An execution redriven, failed again and restarted is redriven again
// after the restart; each restart replays its history event for event.
func TestRedriveAfterRestartClosesAgain(t *testing.T) {
	mem := redriveTwice(t, newHarness(t), func(h *harness) *harness { return h })
	durable := redriveTwice(t, newDurable(t), func(h *harness) *harness {
		config, err := h.svc.SnapshotConfig()
		require.NoError(t, err)
		return h.restartTwice(config)
	})
	require.Equal(t, eventShape(mem), eventShape(durable))
	require.Equal(t, 2, strings.Count(fmt.Sprint(eventShape(durable)), "ExecutionRedriven"))
}

func redriveTwice(t *testing.T, h *harness, restart func(*harness) *harness) []interp.HistoryEvent {
	ctx := context.Background()
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{"a":1}`)
	h.failJob(arn)
	_, err := h.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	h.failJob(arn)
	hist := h.events(arn)

	h = restart(h)
	d := h.waitStatus(arn, types.ExecutionStatusFailed)
	require.Equal(t, int32(1), aws.ToInt32(d.RedriveCount))
	require.Equal(t, types.ExecutionRedriveStatusRedrivable, d.RedriveStatus)
	require.Equal(t, mustJSON(t, hist), mustJSON(t, h.events(arn)))
	_, err = h.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	j := h.nextJob()
	h.waitSubmitted(arn)

	h = restart(h)
	d = h.waitStatus(arn, types.ExecutionStatusRunning)
	require.Equal(t, int32(2), aws.ToInt32(d.RedriveCount))
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"ok":2}`)})
	require.NoError(t, err)
	h.waitStatus(arn, types.ExecutionStatusSucceeded)
	hist = h.events(arn)
	h = restart(h)
	require.Equal(t, mustJSON(t, hist), mustJSON(t, h.events(arn)))
	return hist
}

// A crash right after RedriveExecution answered, before the state it
// re-enters was journaled: the restart enters it again at the redrive's
// time.
func TestRedriveCrashBeforeEnter(t *testing.T) {
	mem := newHarness(t)
	arn := mem.start(mem.createMachine("OnPremJobs", sampleDefinition), `{"a":1}`)
	mem.failJob(arn)
	_, err := mem.client.RedriveExecution(context.Background(), &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	mem.nextJob()
	mem.waitSubmitted(arn)
	want := eventShape(mem.events(arn))

	h := newDurable(t)
	arn = h.start(h.createMachine("OnPremJobs", sampleDefinition), `{"a":1}`)
	h.failJob(arn)
	_, err = h.client.RedriveExecution(context.Background(), &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	h.nextJob()
	h.waitSubmitted(arn)
	config, err := h.svc.SnapshotConfig()
	require.NoError(t, err)
	h.svc.Close()
	dropAfterRedrive(t, h.svc.cfg.Store)

	h = h.restartWith(config, nil)
	j := h.nextJob() // the state is entered again
	h.waitSubmitted(arn)
	d := h.waitStatus(arn, types.ExecutionStatusRunning)
	require.Equal(t, int32(1), aws.ToInt32(d.RedriveCount))
	require.Equal(t, want, eventShape(h.events(arn)))
	_, err = h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{}`)})
	require.NoError(t, err)
	h.waitStatus(arn, types.ExecutionStatusSucceeded)
}

// dropAfterRedrive deletes the steps journaled after the last redrive
// step, as a crash right after the redrive's commit leaves the journal.
func dropAfterRedrive(t *testing.T, st store.Store) {
	t.Helper()
	var keys []string
	require.NoError(t, st.Scan(journalBucket, "r/", func(key string, v []byte) error {
		var r stepRecord
		if strings.Count(key, "/") == 2 && json.Unmarshal(v, &r) == nil && r.Kind == redriveKind {
			keys = keys[:0]
			return nil
		}
		keys = append(keys, key)
		return nil
	}))
	require.NotEmpty(t, keys)
	ops := make([]store.Op, len(keys))
	for i, k := range keys {
		ops[i] = store.Del(journalBucket, k)
	}
	require.NoError(t, st.Apply(ops...))
}

// failJob fails the dispatched callback task with SendTaskFailure and
// waits for the execution to fail.
func (h *harness) failJob(arn string) {
	h.t.Helper()
	j := h.nextJob()
	h.waitSubmitted(arn)
	_, err := h.client.SendTaskFailure(context.Background(), &sfn.SendTaskFailureInput{TaskToken: aws.String(j.Token),
		Error: aws.String("Job.Failed"), Cause: aws.String("the job failed")})
	require.NoError(h.t, err)
	h.waitStatus(arn, types.ExecutionStatusFailed)
}

// restartTwice restarts h's service on its store; the restarted service
// is restarted once more before it is used, so that a restored execution
// replays a journal a restored service wrote.
func (h *harness) restartTwice(config []byte) *harness {
	h.svc.Close()
	n := h.restartWith(config, nil)
	n.svc.Close()
	return n.restartWith(config, nil)
}

// eventShape is a history without its values that differ between
// services: event types, ids, previous ids and timestamps.
func eventShape(events []interp.HistoryEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = fmt.Sprintf("%d<%d %s %s", e.ID, e.PreviousEventID, e.Type, e.Timestamp.Format(time.RFC3339Nano))
	}
	return out
}

// events returns an execution's history from the service.
func (h *harness) events(arn string) []interp.HistoryEvent {
	h.t.Helper()
	out, err := h.svc.GetExecutionHistory(context.Background(), GetExecutionHistoryInput{ExecutionArn: arn, Page: Page{Size: 1000}})
	require.NoError(h.t, err)
	return out.Events
}

// waitSubmitted waits until the last event of the history is
// TaskSubmitted.
func (h *harness) waitSubmitted(arn string) {
	h.t.Helper()
	require.Eventually(h.t, func() bool {
		evs := h.events(arn)
		return len(evs) > 0 && evs[len(evs)-1].Type == "TaskSubmitted"
	}, 5*time.Second, time.Millisecond)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
