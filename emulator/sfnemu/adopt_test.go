package sfnemu

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// A goroutine that adopts the next task runs a chain of tasks in a loop:
// 300 request-response Lambda tasks in a row run at one stack depth.
func TestAdoptedTasksRunAtOneStackDepth(t *testing.T) {
	h := newHarness(t)
	var depths []int
	h.invoke = func(_ context.Context, _ string, payload []byte) (InvokeResult, error) {
		depths = append(depths, runtime.Callers(0, make([]uintptr, 512)))
		var in struct{ N int }
		if err := json.Unmarshal(payload, &in); err != nil {
			return InvokeResult{}, err
		}
		out, _ := json.Marshal(map[string]int{"N": in.N + 1})
		return InvokeResult{Payload: out}, nil
	}
	def := `{"StartAt":"Inc","States":{
	 "Inc":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"inc","Payload.$":"$"},
	  "OutputPath":"$.Payload","Next":"More"},
	 "More":{"Type":"Choice","Choices":[{"Variable":"$.N","NumericLessThan":300,"Next":"Inc"}],"Default":"Done"},
	 "Done":{"Type":"Succeed"}}}`
	arn := h.start(h.createMachine("Chain", def), `{"N":0}`)
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"N":300}`, aws.ToString(out.Output))
	require.Len(t, depths, 300)
	require.Equal(t, depths[1], depths[299], "the stack grew with the chain")
}

// A task's timeout fires while the goroutine that adopted the task waits
// for it: adopting gives up driving first.
func TestTaskTimeoutFiresWhileAnAdoptedTaskRuns(t *testing.T) {
	h := newHarness(t)
	entered := make(chan struct{})
	h.invoke = func(ctx context.Context, _ string, _ []byte) (InvokeResult, error) {
		close(entered)
		<-ctx.Done()
		return InvokeResult{}, ctx.Err()
	}
	def := `{"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
		`"Parameters":{"FunctionName":"slow","Payload.$":"$"},"TimeoutSeconds":1,"End":true}}}`
	arn := h.start(h.createMachine("Slow", def), `{}`)
	<-entered
	h.clk.Advance(time.Second)
	out := h.waitStatus(arn, types.ExecutionStatusFailed)
	require.Equal(t, "States.Timeout", aws.ToString(out.Error))
}
