package sfnemu

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

const passDefinition = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"v":2},"End":true}}}`

// Reference §4.2 UpdateStateMachine: nothing to update is
// MissingRequiredParameter (conformance
// test_create_update_state_machine_base_update_none); an update gives a
// revisionId and updateDate; new executions run the new definition while
// running ones keep theirs, and DescribeStateMachineForExecution shows the
// definition each one runs.
func TestUpdateStateMachine(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("OnPremJobs", sampleDefinition)
	_, err := h.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm)})
	requireAPIError(t, err, "MissingRequiredParameter",
		"Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")

	before, err := h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Nil(t, before.RevisionId)

	running := h.start(sm, `{"n":1}`)
	j := h.nextJob()

	h.clk.Advance(3e9)
	up, err := h.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm),
		Definition: aws.String(passDefinition)})
	require.NoError(t, err)
	require.NotEmpty(t, aws.ToString(up.RevisionId))
	require.Equal(t, h.clk.Now().Unix(), up.UpdateDate.Unix())

	after, err := h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Equal(t, passDefinition, aws.ToString(after.Definition))
	require.Equal(t, up.RevisionId, after.RevisionId)
	require.Equal(t, roleArn, aws.ToString(after.RoleArn), "an update keeps what it does not name")

	fresh := h.start(sm, `{"n":2}`)
	out := h.waitStatus(fresh, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"v":2}`, aws.ToString(out.Output))

	forOld, err := h.client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(running)})
	require.NoError(t, err)
	require.Equal(t, sampleDefinition, aws.ToString(forOld.Definition))
	require.Nil(t, forOld.RevisionId)
	require.Equal(t, sm, aws.ToString(forOld.StateMachineArn))
	forNew, err := h.client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(fresh)})
	require.NoError(t, err)
	require.Equal(t, passDefinition, aws.ToString(forNew.Definition))
	require.Equal(t, up.RevisionId, forNew.RevisionId)

	// The running execution still runs the old definition to its end.
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"r":1}`)})
	require.NoError(t, err)
	h.waitStatus(running, types.ExecutionStatusSucceeded)

	_, err = h.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm),
		Definition: aws.String(`{"StartAt":"X","States":{}}`)})
	require.Error(t, err)
	_, err = h.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm + "x"),
		RoleArn: aws.String(roleArn)})
	requireAPIError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+sm+"x'")
}

// Reference §4.2 DeleteStateMachine: DELETING while executions run, new
// starts refused, gone once the last one ends. Its executions are freed as
// they end (retention.go).
func TestDeleteStateMachine(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("OnPremJobs", sampleDefinition)
	running := h.start(sm, `{}`)
	j := h.nextJob()

	_, err := h.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	got, err := h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Equal(t, types.StateMachineStatusDeleting, got.Status)

	_, err = h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm)})
	requireAPIError(t, err, "StateMachineDeleting", "State Machine Is Being Deleted: '"+sm+"'")
	_, err = h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("OnPremJobs"),
		Definition: aws.String(sampleDefinition), RoleArn: aws.String(roleArn)})
	requireAPIError(t, err, "StateMachineDeleting", "State Machine Is Being Deleted: '"+sm+"'")

	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{}`)})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(running)})
		return err != nil
	}, 5*time.Second, time.Millisecond, "the execution was not freed")
	_, err = h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(running)})
	requireAPIError(t, err, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+running+"'")

	_, err = h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	requireAPIError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+sm+"'")
	list, err := h.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	require.NoError(t, err)
	require.Empty(t, list.StateMachines)
	_, err = h.client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(running)})
	requireAPIError(t, err, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+running+"'")

	// The name is free again; deleting an unknown machine is not an error.
	require.Equal(t, sm, h.createMachine("OnPremJobs", passDefinition))
	_, err = h.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err, "an idle machine is deleted at once")
	_, err = h.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	_, err = h.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String("nope")})
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: nope'")
}

// Reference §4.2: a stateMachine ARN where an execution ARN belongs.
func TestDescribeStateMachineForExecutionErrors(t *testing.T) {
	h := newHarness(t)
	sm := h.createMachine("OnPremJobs", passDefinition)
	_, err := h.client.DescribeStateMachineForExecution(context.Background(), &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(sm)})
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachine'")
}

// Reference §4.2: CreateStateMachine is idempotent on name, definition,
// type, logging, tracing, encryption, publish and versionDescription; a
// request differing in any of them is StateMachineAlreadyExists, one
// differing only in roleArn or tags returns the existing machine.
func TestCreateStateMachineComparesWhatAWSCompares(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	base := func() *sfn.CreateStateMachineInput {
		return &sfn.CreateStateMachineInput{Name: aws.String("Same"), Definition: aws.String(passDefinition),
			RoleArn: aws.String(roleArn), Publish: true, VersionDescription: aws.String("v1")}
	}
	first, err := h.client.CreateStateMachine(ctx, base())
	require.NoError(t, err)
	arn := aws.ToString(first.StateMachineArn)

	same := base()
	same.RoleArn = aws.String("arn:aws:iam::123456789012:role/Other")
	same.Tags = []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}
	again, err := h.client.CreateStateMachine(ctx, same)
	require.NoError(t, err)
	require.Equal(t, arn, aws.ToString(again.StateMachineArn))
	require.Equal(t, first.StateMachineVersionArn, again.StateMachineVersionArn)

	for name, change := range map[string]func(*sfn.CreateStateMachineInput){
		"definition": func(r *sfn.CreateStateMachineInput) { r.Definition = aws.String(sampleDefinition) },
		"type":       func(r *sfn.CreateStateMachineInput) { r.Type = types.StateMachineTypeExpress },
		"logging": func(r *sfn.CreateStateMachineInput) {
			r.LoggingConfiguration = &types.LoggingConfiguration{Level: types.LogLevelAll}
		},
		"tracing": func(r *sfn.CreateStateMachineInput) {
			r.TracingConfiguration = &types.TracingConfiguration{Enabled: true}
		},
		"publish":     func(r *sfn.CreateStateMachineInput) { r.Publish, r.VersionDescription = false, nil },
		"description": func(r *sfn.CreateStateMachineInput) { r.VersionDescription = aws.String("v2") },
		"encryption": func(r *sfn.CreateStateMachineInput) {
			r.EncryptionConfiguration = &types.EncryptionConfiguration{Type: types.EncryptionTypeCustomerManagedKmsKey,
				KmsKeyId: aws.String("alias/k"), KmsDataKeyReusePeriodSeconds: aws.Int32(300)}
		},
	} {
		t.Run(name, func(t *testing.T) {
			r := base()
			change(r)
			_, err := h.client.CreateStateMachine(ctx, r)
			requireAPIError(t, err, "StateMachineAlreadyExists", "State Machine Already Exists: '"+arn+"'")
		})
	}
}
