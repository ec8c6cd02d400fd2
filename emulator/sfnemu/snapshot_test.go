package sfnemu

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestConfigSnapshotRestores: state machines with their revisions,
// versions, aliases and tags, and activities, restored from a snapshot
// into a new service, describe as before, and go on numbering versions
// where they stopped (docs/durability.md §4).
func TestConfigSnapshotRestores(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	smArn := h.createMachine("m", passResult(1))
	v1, err := h.publish(smArn, &sfn.PublishStateMachineVersionInput{Description: aws.String("first")})
	require.NoError(t, err)
	h.update(smArn, passResult(2), false)
	v2, err := h.publish(smArn, &sfn.PublishStateMachineVersionInput{})
	require.NoError(t, err)
	alias := h.createAlias("live", aws.String("canary"), routing(aws.ToString(v1.StateMachineVersionArn), 70,
		aws.ToString(v2.StateMachineVersionArn), 30))
	_, err = h.client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(smArn), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	require.NoError(t, err)
	act, err := h.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	require.NoError(t, err)
	gone := h.createMachine("gone", passResult(3))
	_, err = h.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(gone)})
	require.NoError(t, err)

	snap, err := h.svc.SnapshotConfig()
	require.NoError(t, err)
	h2 := newHarness(t)
	require.NoError(t, h2.svc.RestoreConfig(snap))
	again, err := h2.svc.SnapshotConfig()
	require.NoError(t, err)
	require.JSONEq(t, string(snap), string(again))

	for _, arn := range []string{smArn, aws.ToString(v1.StateMachineVersionArn), aws.ToString(v2.StateMachineVersionArn)} {
		want, err := h.svc.DescribeStateMachine(ctx, arn)
		require.NoError(t, err)
		got, err := h2.svc.DescribeStateMachine(ctx, arn)
		require.NoError(t, err)
		require.Equal(t, want, got, arn)
	}
	wantAlias, _ := h.svc.DescribeStateMachineAlias(ctx, aws.ToString(alias.StateMachineAliasArn))
	gotAlias, err := h2.svc.DescribeStateMachineAlias(ctx, aws.ToString(alias.StateMachineAliasArn))
	require.NoError(t, err)
	require.Equal(t, wantAlias, gotAlias)
	tags, err := h2.client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: act.ActivityArn})
	require.NoError(t, err)
	require.Len(t, tags.Tags, 1)
	_, err = h2.svc.DescribeStateMachine(ctx, gone)
	require.Error(t, err, "a deleted state machine came back")

	h2.update(smArn, passResult(4), false)
	v3, err := h2.publish(smArn, &sfn.PublishStateMachineVersionInput{})
	require.NoError(t, err)
	require.Equal(t, smArn+":3", aws.ToString(v3.StateMachineVersionArn))
	exec := h2.start(aws.ToString(alias.StateMachineAliasArn), `{}`)
	h2.waitStatus(exec, types.ExecutionStatusSucceeded)
}
