package sfnemu

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
)

func TestSplitTestCase(t *testing.T) {
	for _, tc := range []struct{ in, arn, testCase string }{
		{"arn:x:stateMachine:m#c", "arn:x:stateMachine:m", "c"},
		{"arn:x:stateMachine:m#", "arn:x:stateMachine:m", ""},
		{"arn:x:stateMachine:m", "arn:x:stateMachine:m", ""},
	} {
		arn, c := splitTestCase(tc.in)
		require.Equal(t, [2]string{tc.arn, tc.testCase}, [2]string{arn, c}, tc.in)
	}
}

const mockedDefinition = `{"StartAt":"Call","States":{
 "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},
  "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":3}],"ResultSelector":{"p.$":"$.Payload"},"Next":"Wait"},
 "Wait":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"ResultPath":"$.cb","End":true}}}`

const mockedConfig = `{"StateMachines":{"mocked":{"TestCases":{
  "Local":{"Call":"Retried","Wait":"Answered"},
  "Worker":{"Call":"Retried","Wait":"Delivered"}}}},
 "MockedResponses":{
  "Retried":{"0":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"busy"}},"1":{"Return":{"StatusCode":200,"Payload":{"ok":1}}}},
  "Answered":{"0":{"Return":{"from":"mock"}}},
  "Delivered":{"0":{"Submit":{"MessageId":"m-1"}}}}}`

func TestMockedExecution(t *testing.T) {
	h := newHarness(t)
	cfg, err := mockconfig.Parse([]byte(mockedConfig))
	require.NoError(t, err)
	h.svc.SetMockConfig(cfg)
	smArn := h.createMachine("mocked", mockedDefinition)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	t.Run("unknown test case", func(t *testing.T) {
		_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smArn + "#Nope")})
		requireAPIError(t, err, "ValidationException", "the mock config has no test case 'Nope' for state machine 'mocked'")
	})
	t.Run("Return stands for the callback", func(t *testing.T) {
		arn := h.start(smArn+"#Local", `{}`)
		h.advanceUntil(ctx, arn, func() bool {
			e, err := h.svc.execution(arn)
			return err == nil && e.info().status != interp.StatusRunning
		})
		out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
		require.JSONEq(t, `{"p":{"ok":1},"cb":{"from":"mock"}}`, aws.ToString(out.Output))
	})
	t.Run("Submit waits for the worker", func(t *testing.T) {
		arn := h.start(smArn+"#Worker", `{}`)
		var toks []MockToken
		h.advanceUntil(ctx, arn, func() bool {
			toks, _ = h.svc.MockTokens(arn)
			return len(toks) == 1
		})
		require.Equal(t, "Wait", toks[0].State)
		_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(toks[0].Token), Output: aws.String(`"done"`)})
		require.NoError(t, err)
		out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
		require.JSONEq(t, `{"p":{"ok":1},"cb":"done"}`, aws.ToString(out.Output))
		require.Contains(t, eventTypes(h.history(arn)), "TaskSubmitted")
	})
}

// advanceUntil moves the fake clock to the next timer whenever the
// execution is idle, until done holds. The fake clock fires timers in
// goroutines, so done is polled with a deadline.
func (h *harness) advanceUntil(ctx context.Context, arn string, done func() bool) {
	h.t.Helper()
	require.Eventually(h.t, func() bool {
		require.NoError(h.t, h.svc.WaitIdle(ctx, arn))
		h.clk.AdvanceToNext()
		return done()
	}, 5*time.Second, time.Millisecond)
}

// Concurrent starts of one execution name with different test cases and
// inputs: the start that registers the execution is the one whose test case
// it runs; the others get ExecutionAlreadyExists. Finished executions leave
// no binding behind.
func TestTestCaseBindsWithTheStartThatRegisters(t *testing.T) {
	h := newHarness(t)
	cfg, err := mockconfig.Parse([]byte(mockedConfig))
	require.NoError(t, err)
	h.svc.SetMockConfig(cfg)
	smArn := h.createMachine("mocked", mockedDefinition)
	for i := range 40 {
		name := fmt.Sprintf("race-%d", i)
		won := make(chan string, 2)
		var wg sync.WaitGroup
		for _, tc := range []string{"Local", "Worker"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				input := `{"tc":"` + tc + `"}`
				if _, err := h.svc.startExecution(smArn+"#"+tc, &name, &input); err == nil {
					won <- tc
				}
			}()
		}
		wg.Wait()
		close(won)
		winner := <-won
		arn := h.svc.executionArn("mocked", name)
		run := h.svc.mocks.run(arn)
		require.NotNil(t, run, "execution %s has no test-case run", name)
		require.Equal(t, winner, run.testCase, "execution %s runs another start's test case", name)
		_, err := h.svc.stopExecution(arn, nil, nil)
		require.NoError(t, err)
	}
	h.svc.mocks.mu.Lock()
	defer h.svc.mocks.mu.Unlock()
	require.Empty(t, h.svc.mocks.runs, "finished executions keep their test-case runs")
}
