package sfnemu

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
)

// A task of a Distributed Map's child execution runs as the execution's
// own but is logged in the child's history: WaitIdle waits for it as for
// a task of the execution itself. (The conformance runner found executions
// "stuck" while such a task was still in flight.)
func TestWaitIdleWaitsForChildTasks(t *testing.T) {
	h := newHarness(t)
	cfg, err := mockconfig.Parse([]byte(`{"StateMachines":{"fan":{"TestCases":{"Case":{"Other":"R"}}}},
		"MockedResponses":{"R":{"0":{"Return":{}}}}}`))
	require.NoError(t, err)
	h.svc.SetMockConfig(cfg)
	release := make(chan struct{})
	h.invoke = func(ctx context.Context, _ string, _ []byte) (InvokeResult, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return InvokeResult{Payload: []byte(`{"ok":true}`)}, nil
	}
	smArn := h.createMachine("fan", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Call",
		"States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"End":true}}},
		"Next":"Other"},"Other":{"Type":"Pass","End":true}}}`)
	arn := h.start(smArn+"#Case", `{"items":[1]}`)

	short, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	require.Error(t, h.svc.WaitIdle(short, arn), "idle while the child's task is in flight")

	close(release)
	ctx, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	require.NoError(t, h.svc.WaitIdle(ctx, arn))
	h.waitStatus(arn, types.ExecutionStatusSucceeded)
}
