package sfnemu

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
)

// draws is a deterministic random source for alias routing: each read
// yields the next byte, which crypto/rand.Int(_, 100) returns as is when
// it is below 100.
type draws struct {
	mu    sync.Mutex
	bytes []byte
}

func (d *draws) Read(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range p {
		p[i], d.bytes = d.bytes[0], append(d.bytes[1:], d.bytes[0])
	}
	return len(p), nil
}

// startedDetails returns the ExecutionStarted details of an execution.
func (h *harness) startedEvent(arn string, withData bool) *types.ExecutionStartedEventDetails {
	h.t.Helper()
	out, err := h.client.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String(arn), IncludeExecutionData: aws.Bool(withData)})
	require.NoError(h.t, err)
	require.Equal(h.t, types.HistoryEventTypeExecutionStarted, out.Events[0].Type)
	return out.Events[0].ExecutionStartedEventDetails
}

// AWS (test_sfn_api_aliasing test_base_lifecycle_create_invoke_describe_list,
// test_sfn_api_versioning test_start_version_execution): an execution
// started with a version ARN runs that version and reports
// stateMachineVersionArn; one started with an alias runs the version the
// weights pick and reports both; the state machine ARN stays unqualified;
// ListExecutions with a version or an alias ARN lists the executions
// started through it.
func TestStartThroughVersionAndAlias(t *testing.T) {
	h := newHarness(t)
	h.svc.cfg.Random = &draws{bytes: []byte{29, 30, 99, 0}}
	ctx := context.Background()
	sm := h.machineWithVersions("Jobs", 2)
	prod := h.createAlias("prod", nil, routing(sm+":1", 30, sm+":2", 70)).StateMachineAliasArn

	plain := h.start(sm, `{}`)
	direct := h.start(sm+":1", `{}`)
	routed := []string{h.start(*prod, `{}`), h.start(*prod, `{}`), h.start(*prod, `{}`), h.start(*prod, `{}`)}
	want := []struct {
		arn, output, version, alias string
	}{
		{plain, `{"v":0}`, "", ""},
		{direct, `{"v":1}`, sm + ":1", ""},
		{routed[0], `{"v":1}`, sm + ":1", *prod}, // draw 29 < 30
		{routed[1], `{"v":2}`, sm + ":2", *prod}, // draw 30
		{routed[2], `{"v":2}`, sm + ":2", *prod}, // draw 99
		{routed[3], `{"v":1}`, sm + ":1", *prod}, // draw 0
	}
	for _, w := range want {
		out := h.waitStatus(w.arn, types.ExecutionStatusSucceeded)
		require.JSONEq(t, w.output, aws.ToString(out.Output))
		require.Equal(t, sm, aws.ToString(out.StateMachineArn))
		require.Equal(t, w.version, aws.ToString(out.StateMachineVersionArn))
		require.Equal(t, w.alias, aws.ToString(out.StateMachineAliasArn))
		for _, withData := range []bool{true, false} {
			ev := h.startedEvent(w.arn, withData)
			require.Equal(t, w.version, aws.ToString(ev.StateMachineVersionArn))
			require.Equal(t, w.alias, aws.ToString(ev.StateMachineAliasArn))
			require.Equal(t, roleArn, aws.ToString(ev.RoleArn))
			require.Equal(t, withData, ev.Input != nil, "input present with includeExecutionData=%v", withData)
		}
	}

	forExec, err := h.client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(direct)})
	require.NoError(t, err)
	require.Equal(t, passResult(1), aws.ToString(forExec.Definition))
	require.Equal(t, sm, aws.ToString(forExec.StateMachineArn))

	require.Len(t, h.listExecutions(sm), 6)
	require.ElementsMatch(t, []string{direct, routed[0], routed[3]}, h.listExecutions(sm+":1"))
	require.ElementsMatch(t, routed, h.listExecutions(*prod))
	list, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: prod})
	require.NoError(t, err)
	require.Equal(t, *prod, aws.ToString(list.Executions[0].StateMachineAliasArn))
	require.Equal(t, sm+":1", aws.ToString(list.Executions[0].StateMachineVersionArn))
}

func (h *harness) listExecutions(arn string) []string {
	h.t.Helper()
	out, err := h.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn)})
	require.NoError(h.t, err)
	arns := make([]string, len(out.Executions))
	for i, e := range out.Executions {
		arns[i] = aws.ToString(e.ExecutionArn)
	}
	return arns
}

// StartExecution has no ResourceNotFound: a missing version or alias is
// StateMachineDoesNotExist quoting the ARN given.
func TestStartThroughMissingVersionOrAlias(t *testing.T) {
	h := newHarness(t)
	sm := h.machineWithVersions("Jobs", 1)
	for _, arn := range []string{sm + ":9", sm + ":nope", sm + "x:1"} {
		_, err := h.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
		requireAPIError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+arn+"'")
	}
}

// StartSyncExecution through an alias runs the routed version of an
// Express machine.
func TestStartSyncThroughAlias(t *testing.T) {
	h := newHarness(t)
	h.svc.cfg.Random = &draws{bytes: []byte{50}}
	ctx := context.Background()
	out, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Fast"),
		Definition: aws.String(passResult(1)), RoleArn: aws.String(roleArn), Type: types.StateMachineTypeExpress, Publish: true})
	require.NoError(t, err)
	sm := aws.ToString(out.StateMachineArn)
	require.Equal(t, sm+":2", aws.ToString(h.update(sm, passResult(2), true).StateMachineVersionArn))
	h.update(sm, passResult(0), false)
	alias := h.createAlias("live", nil, routing(sm+":1", 51, sm+":2", 49))

	res := h.startSync(aws.ToString(alias.StateMachineAliasArn), `{}`)
	require.Equal(t, types.SyncExecutionStatusSucceeded, res.Status)
	require.JSONEq(t, `{"v":1}`, aws.ToString(res.Output), "draw 50 < 51 picks version 1")
	require.Equal(t, sm, aws.ToString(res.StateMachineArn))
	require.JSONEq(t, `{"v":2}`, aws.ToString(h.startSync(sm+":2", `{}`).Output))
}

const mockedVersionConfig = `{"StateMachines":{"Jobs":{"TestCases":{"Local":{"Call":"Mocked"}}}},
 "MockedResponses":{"Mocked":{"0":{"Return":{"StatusCode":200,"Payload":{"from":"mock"}}}}}}`

// taskDefinition calls a Lambda function and adds {"v":n} to its payload.
func taskDefinition(n int) string {
	return `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
		`"Parameters":{"FunctionName":"f"},"ResultSelector":{"p.$":"$.Payload","v":` + strconv.Itoa(n) + `},"End":true}}}`
}

// The mock config's "#<TestCase>" suffix works after a version or an
// alias ARN too: the test case is looked up by the machine's name.
func TestTestCaseThroughVersionAndAlias(t *testing.T) {
	h := newHarness(t)
	cfg, err := mockconfig.Parse([]byte(mockedVersionConfig))
	require.NoError(t, err)
	h.svc.SetMockConfig(cfg)
	sm := h.createMachine("Jobs", taskDefinition(1))
	_, err = h.publish(sm, nil)
	require.NoError(t, err)
	h.update(sm, taskDefinition(0), false)
	alias := aws.ToString(h.createAlias("prod", nil, route100(sm+":1")).StateMachineAliasArn)

	for _, arn := range []string{sm + ":1", alias} {
		exec := h.start(arn+"#Local", `{}`)
		out := h.waitStatus(exec, types.ExecutionStatusSucceeded)
		require.JSONEq(t, `{"p":{"from":"mock"},"v":1}`, aws.ToString(out.Output), arn)
		require.Equal(t, sm+":1", aws.ToString(out.StateMachineVersionArn))
	}
	_, err = h.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(alias + "#Nope")})
	requireAPIError(t, err, "ValidationException", "the mock config has no test case 'Nope' for state machine 'Jobs'")
}
