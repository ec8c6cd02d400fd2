package sfnapi

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// Conformance api_errors: test_create_delete_invalid_sm.
func TestCreateStateMachineInvalidDefinition(t *testing.T) {
	h := newHarness(t)
	_, err := h.client.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String("bad"), RoleArn: aws.String(roleArn),
		Definition: aws.String(`{"Comment": "BASE_INVALID_DER", "StartAt": "State_1"}`)})
	requireAPIError(t, err, "InvalidDefinition",
		"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'")
}

// Reference §4.2: CreateStateMachine is idempotent for identical requests;
// a different definition under the same name is StateMachineAlreadyExists
// (conformance test_create_duplicate_definition_format_sm: even whitespace
// counts).
func TestCreateStateMachineIdempotency(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	arn := h.createMachine("OnPremJobs", sampleDefinition)
	require.Equal(t, "arn:aws:states:us-east-1:123456789012:stateMachine:OnPremJobs", arn)
	require.Equal(t, arn, h.createMachine("OnPremJobs", sampleDefinition))
	_, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("OnPremJobs"),
		Definition: aws.String(" " + sampleDefinition), RoleArn: aws.String(roleArn)})
	requireAPIError(t, err, "StateMachineAlreadyExists", "State Machine Already Exists: '"+arn+"'")

	got, err := h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, sampleDefinition, aws.ToString(got.Definition))
	require.Equal(t, types.StateMachineTypeStandard, got.Type)
	require.Equal(t, types.StateMachineStatusActive, got.Status)
	require.Equal(t, roleArn, aws.ToString(got.RoleArn))

	list, err := h.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	require.NoError(t, err)
	require.Len(t, list.StateMachines, 1)
	require.Equal(t, "OnPremJobs", aws.ToString(list.StateMachines[0].Name))
}

// Conformance api_errors: exact texts of the common client errors.
func TestAPIErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("OnPremJobs", sampleDefinition)
	missingSM := "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
	missingEx := "arn:aws:states:us-east-1:123456789012:execution:OnPremJobs:nope"
	tests := []struct {
		name, code, message string
		call                func() error
	}{
		{"start on missing machine", "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + missingSM + "'", func() error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(missingSM)})
			return err
		}},
		{"describe missing execution", "ExecutionDoesNotExist", "Execution Does Not Exist: '" + missingEx + "'", func() error {
			_, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(missingEx)})
			return err
		}},
		{"history of missing execution", "ExecutionDoesNotExist", "Execution Does Not Exist: '" + missingEx + "'", func() error {
			_, err := h.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(missingEx)})
			return err
		}},
		{"invalid execution arn", "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'", func() error {
			_, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("invalid_state_machine_arn")})
			return err
		}},
		{"list on missing machine", "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + missingSM + "'", func() error {
			_, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(missingSM)})
			return err
		}},
		{"lower-case status filter", "ValidationException", "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]", func() error {
			_, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), StatusFilter: "succeeded"})
			return err
		}},
		{"too many results", "ValidationException", "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", func() error {
			_, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), MaxResults: 1001})
			return err
		}},
		{"input not json", "InvalidExecutionInput", "Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')'", func() error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String("not some json")})
			return err
		}},
		{"input with single quotes", "InvalidExecutionInput", "Invalid State Machine Execution Input: 'Unexpected character (''' (code 39)): was expecting double-quote to start field name'", func() error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String("{'not': 'json'")})
			return err
		}},
		{"empty input", "InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'", func() error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String("")})
			return err
		}},
		{"invalid execution name", "InvalidName", "Invalid Name: 'job 1'", func() error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("job 1")})
			return err
		}},
		{"invalid machine name", "InvalidName", "Invalid Name: 'a/b'", func() error {
			_, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("a/b"),
				Definition: aws.String(sampleDefinition), RoleArn: aws.String(roleArn)})
			return err
		}},
		{"name too long", "ValidationException", "1 validation error detected: Value '" + strings.Repeat("n", 81) + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80", func() error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String(strings.Repeat("n", 81))})
			return err
		}},
		{"bad page token", "InvalidToken", "Invalid Token: 'Invalid token'", func() error {
			_, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), NextToken: aws.String("garbage")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireAPIError(t, tt.call(), tt.code, tt.message) })
	}
}

// Reference §2.3 and §4.1: model validation of members the SDK checks
// client-side, and unknown operations.
func TestRawRequests(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		op, body, typ, message string
	}{
		{"SendTaskHeartbeat", `{}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null"},
		{"SendTaskSuccess", `{"taskToken":"FakeTaskToken"}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null"},
		{"SendTaskSuccess", `{}`, "com.amazon.coral.validate#ValidationException",
			"2 validation errors detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'output' failed to satisfy constraint: Member must not be null"},
		{"SendTaskFailure", `{"taskToken":""}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value '' at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"SendTaskSuccess", `{"taskToken":"FakeTaskToken","output":"{}"}`, "com.amazonaws.swf.service.v2.model#InvalidToken",
			"Invalid Token: 'Invalid token'"},
		{"StartExecution", `{}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"},
		{"DeleteEverything", `{}`, "UnknownOperationException", "Unknown operation AWSStepFunctions.DeleteEverything"},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.body, func(t *testing.T) {
			typ, msg := h.raw(tt.op, tt.body)
			require.Equal(t, tt.typ, typ)
			require.Equal(t, tt.message, msg)
		})
	}
}

// Reference §4.2 and §4.4: Express executions have express ARNs, cannot be
// described, and ListExecutions does not serve Express machines.
func TestExpressExecutions(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	created, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Fast"),
		Type: types.StateMachineTypeExpress, RoleArn: aws.String(roleArn),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)})
	require.NoError(t, err)
	started, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("one")})
	require.NoError(t, err)
	require.Regexp(t, `^arn:aws:states:us-east-1:123456789012:express:Fast:one:[0-9a-f-]{36}$`, aws.ToString(started.ExecutionArn))

	_, err = h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
	_, err = h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: created.StateMachineArn})
	requireAPIError(t, err, "StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
}
