package sfnemu

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
)

// parallelSlow runs a callback task beside a branch whose Pass state,
// after a 10 s Wait, blocks in the gate while it evaluates.
const parallelSlow = `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[` +
	`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"}},"End":true}}},` +
	`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"S"},"S":{"Type":"Pass","Parameters":{"u.$":"States.UUID()"},"End":true}}}]}}}`

// A callback that arrives while another state of its execution evaluates
// waits its turn and is applied after it; if the execution is stopped
// meanwhile, it gets TaskTimedOut at once (docs/step-functions.md §2.4).
func TestCallbackDuringASlowState(t *testing.T) {
	cases := []struct {
		name       string
		then       func(t *testing.T, svc *Service, g *gate, arn string)
		wantErr    error
		wantStatus interp.Status
	}{
		{"the state ends", func(_ *testing.T, _ *Service, g *gate, _ string) { g.open() }, nil, interp.StatusSucceeded},
		{"the execution is stopped", func(t *testing.T, svc *Service, _ *gate, arn string) {
			_, err := svc.StopExecution(context.Background(), StopExecutionInput{ExecutionArn: arn})
			require.NoError(t, err)
		}, ErrTaskTimedOut, "ABORTED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
			g := newGate()
			tokens := make(chan string, 1)
			svc := New(Config{Clock: clk, Random: g, Invoke: func(_ context.Context, _ string, p []byte) (InvokeResult, error) {
				var payload struct{ Token string }
				_ = json.Unmarshal(p, &payload)
				tokens <- payload.Token
				return InvokeResult{Payload: []byte(`{}`)}, nil
			}})
			t.Cleanup(svc.Close)
			t.Cleanup(g.open)
			arn := startExec(t, svc, createMachine(t, svc, "Par", "", parallelSlow))
			token := <-tokens
			waitSettled(t, svc, arn)

			go clk.Advance(10 * time.Second) // the Wait ends; S blocks the goroutine that fired it
			g.waitEntered(t)
			answer := make(chan error, 1)
			go func() {
				answer <- svc.SendTaskSuccess(context.Background(), SendTaskSuccessInput{TaskToken: token, Output: `{"r":1}`})
			}()
			d, err := svc.DescribeExecution(context.Background(), arn)
			require.NoError(t, err)
			require.Equal(t, interp.StatusRunning, d.Status)

			tc.then(t, svc, g, arn)
			select {
			case err = <-answer:
			case <-time.After(5 * time.Second):
				t.Fatal("SendTaskSuccess did not answer")
			}
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			status, err := svc.WaitExecution(context.Background(), arn)
			require.NoError(t, err)
			require.Equal(t, tc.wantStatus, status)
		})
	}
}
