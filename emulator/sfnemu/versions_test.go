package sfnemu

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/stretchr/testify/require"
)

// passResult is a one-state machine whose output is {"v":n}.
func passResult(n int) string {
	return fmt.Sprintf(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"v":%d},"End":true}}}`, n)
}

func (h *harness) publish(smArn string, in *sfn.PublishStateMachineVersionInput) (*sfn.PublishStateMachineVersionOutput, error) {
	if in == nil {
		in = &sfn.PublishStateMachineVersionInput{}
	}
	in.StateMachineArn = aws.String(smArn)
	return h.client.PublishStateMachineVersion(context.Background(), in)
}

func (h *harness) update(smArn, definition string, publish bool) *sfn.UpdateStateMachineOutput {
	h.t.Helper()
	out, err := h.client.UpdateStateMachine(context.Background(), &sfn.UpdateStateMachineInput{
		StateMachineArn: aws.String(smArn), Definition: aws.String(definition), Publish: publish})
	require.NoError(h.t, err)
	return out
}

func (h *harness) describe(arn string) *sfn.DescribeStateMachineOutput {
	h.t.Helper()
	out, err := h.client.DescribeStateMachine(context.Background(), &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	require.NoError(h.t, err)
	return out
}

func (h *harness) versionArns(smArn string, maxResults int32, token *string) ([]string, *string) {
	h.t.Helper()
	out, err := h.client.ListStateMachineVersions(context.Background(), &sfn.ListStateMachineVersionsInput{
		StateMachineArn: aws.String(smArn), MaxResults: maxResults, NextToken: token})
	require.NoError(h.t, err)
	arns := make([]string, len(out.StateMachineVersions))
	for i, v := range out.StateMachineVersions {
		arns[i] = aws.ToString(v.StateMachineVersionArn)
	}
	return arns, out.NextToken
}

// AWS (LocalStack snapshot test_sfn_api_versioning, recorded 2023-08):
// publishing is idempotent per revision, revisionId guards against a
// concurrent update (ConflictException), versions list newest first,
// DescribeStateMachine with a version ARN answers that version, and
// numbers are never reused after a deletion.
func TestPublishStateMachineVersion(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("Jobs", passResult(1))

	v1, err := h.publish(sm, &sfn.PublishStateMachineVersionInput{RevisionId: aws.String("INITIAL")})
	require.NoError(t, err)
	require.Equal(t, sm+":1", aws.ToString(v1.StateMachineVersionArn))
	h.clk.Advance(1e9)
	again, err := h.publish(sm, nil)
	require.NoError(t, err)
	require.Equal(t, sm+":1", aws.ToString(again.StateMachineVersionArn), "an unchanged revision is not published twice")
	require.Equal(t, v1.CreationDate.UnixMilli(), again.CreationDate.UnixMilli())

	r1 := aws.ToString(h.update(sm, passResult(2), false).RevisionId)
	v2, err := h.publish(sm, &sfn.PublishStateMachineVersionInput{RevisionId: aws.String(r1), Description: aws.String("second")})
	require.NoError(t, err)
	require.Equal(t, sm+":2", aws.ToString(v2.StateMachineVersionArn))

	r2 := aws.ToString(h.update(sm, passResult(3), false).RevisionId)
	_, err = h.publish(sm, &sfn.PublishStateMachineVersionInput{RevisionId: aws.String(r1)})
	requireAPIError(t, err, "ConflictException", fmt.Sprintf(
		"Failed to publish the State Machine version for revision %s. The current State Machine revision is %s.", r1, r2))

	arns, next := h.versionArns(sm, 0, nil)
	require.Equal(t, []string{sm + ":2", sm + ":1"}, arns)
	require.Nil(t, next)
	arns, next = h.versionArns(sm, 1, nil)
	require.Equal(t, []string{sm + ":2"}, arns)
	arns, next = h.versionArns(sm, 1, next)
	require.Equal(t, []string{sm + ":1"}, arns)
	require.Nil(t, next)

	d1 := h.describe(sm + ":1")
	require.Equal(t, sm+":1", aws.ToString(d1.StateMachineArn))
	require.Equal(t, passResult(1), aws.ToString(d1.Definition))
	require.Nil(t, d1.Description)
	require.Nil(t, d1.RevisionId, "a version of a never-updated machine has no revisionId")
	require.Equal(t, v1.CreationDate.UnixMilli(), d1.CreationDate.UnixMilli())
	d2 := h.describe(sm + ":2")
	require.Equal(t, passResult(2), aws.ToString(d2.Definition))
	require.Equal(t, "second", aws.ToString(d2.Description))
	require.Equal(t, r1, aws.ToString(d2.RevisionId))
	require.Equal(t, "Jobs", aws.ToString(d2.Name))
	require.Equal(t, passResult(3), aws.ToString(h.describe(sm).Definition))

	// Deleting the newest version frees no number: the next is 3.
	_, err = h.client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(sm + ":2")})
	require.NoError(t, err)
	_, err = h.client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(sm + ":2")})
	require.NoError(t, err, "deleting a deleted version is not an error")
	v3, err := h.publish(sm, nil)
	require.NoError(t, err)
	require.Equal(t, sm+":3", aws.ToString(v3.StateMachineVersionArn))
	_, err = h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm + ":2")})
	requireAPIError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+sm+":2'")
}

// AWS errors of the version operations (conformance
// test_publish_state_machine_version_invalid_arn / _no_such_machine;
// model constraints in the "N validation error(s) detected" format).
func TestVersionErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("Jobs", passResult(1))
	missing := strings.Replace(sm, "Jobs", "Nope", 1)
	tests := []struct {
		name          string
		call          func() error
		code, message string
	}{
		{"publish invalid arn", func() error { _, err := h.publish("invalid_arn", nil); return err },
			"InvalidArn", "Invalid Arn: 'Invalid ARN prefix: invalid_arn'"},
		{"publish unknown machine", func() error { _, err := h.publish(missing, nil); return err },
			"StateMachineDoesNotExist", "State Machine Does Not Exist: '" + missing + "'"},
		{"publish long description", func() error {
			_, err := h.publish(sm, &sfn.PublishStateMachineVersionInput{Description: aws.String(strings.Repeat("d", 257))})
			return err
		}, "ValidationException", "1 validation error detected: Value at 'description' failed to satisfy constraint: " +
			"Member must have length less than or equal to 256"},
		{"delete with a machine arn", func() error {
			_, err := h.client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(sm)})
			return err
		}, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + sm + "'"},
		{"describe unknown version", func() error {
			_, err := h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm + ":7")})
			return err
		}, "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + sm + ":7'"},
		{"list with a bad token", func() error {
			_, err := h.client.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{
				StateMachineArn: aws.String(sm), NextToken: aws.String("nope")})
			return err
		}, "InvalidToken", "Invalid Token: 'Invalid token'"},
		{"list maxResults", func() error {
			_, err := h.client.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{
				StateMachineArn: aws.String(sm), MaxResults: 1001})
			return err
		}, "ValidationException", "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: " +
			"Member must have value less than or equal to 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireAPIError(t, tt.call(), tt.code, tt.message) })
	}
	arns, _ := h.versionArns(missing, 0, nil)
	require.Empty(t, arns, "ListStateMachineVersions has no StateMachineDoesNotExist")
}

// AWS (test_sfn_api_versioning create/update with publish): publish on
// CreateStateMachine and UpdateStateMachine returns stateMachineVersionArn;
// an update that changes nothing makes no revision and publishing it
// returns the existing version; versionDescription needs publish; a version
// ARN is not a machine UpdateStateMachine can change.
func TestPublishOnCreateAndUpdate(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	out, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Jobs"),
		Definition: aws.String(passResult(1)), RoleArn: aws.String(roleArn), Publish: true, VersionDescription: aws.String("HelloWorld!")})
	require.NoError(t, err)
	sm := aws.ToString(out.StateMachineArn)
	require.Equal(t, sm+":1", aws.ToString(out.StateMachineVersionArn))
	require.Equal(t, "HelloWorld!", aws.ToString(h.describe(sm+":1").Description))
	require.Nil(t, h.describe(sm).Description, "the machine itself has no description")

	same := h.update(sm, passResult(1), true)
	require.Equal(t, sm+":1", aws.ToString(same.StateMachineVersionArn))
	require.Nil(t, same.RevisionId, "an update that changes nothing makes no revision")

	changed := h.update(sm, passResult(2), true)
	require.Equal(t, sm+":2", aws.ToString(changed.StateMachineVersionArn))
	require.NotEmpty(t, aws.ToString(changed.RevisionId))
	require.Nil(t, h.update(sm, passResult(3), false).StateMachineVersionArn)

	_, err = h.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm + ":2"),
		Definition: aws.String(passResult(4)), Publish: true})
	requireAPIError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+sm+":2'")
	_, err = h.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm),
		Definition: aws.String(passResult(4)), VersionDescription: aws.String("x")})
	requireAPIError(t, err, "ValidationException", "Version description can only be set when publish is true")
	_, err = h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Other"),
		Definition: aws.String(passResult(1)), RoleArn: aws.String(roleArn), Publish: true,
		VersionDescription: aws.String(strings.Repeat("d", 257))})
	requireAPIError(t, err, "ValidationException", "1 validation error detected: Value at 'versionDescription' "+
		"failed to satisfy constraint: Member must have length less than or equal to 256")
}

// AWS quota: 1,000 versions per state machine (PublishStateMachineVersion
// API reference), ServiceQuotaExceededException beyond.
func TestVersionQuota(t *testing.T) {
	h := newHarness(t)
	sm := h.createMachine("Jobs", passResult(0))
	for i := 1; i <= maxVersions; i++ {
		_, err := h.svc.UpdateStateMachine(context.Background(), UpdateStateMachineInput{StateMachineArn: sm,
			Definition: aws.String(passResult(i)), Publish: true})
		require.NoError(t, err)
	}
	h.update(sm, passResult(-1), false)
	_, err := h.publish(sm, nil)
	requireAPIError(t, err, "ServiceQuotaExceededException", "Failed to publish the State Machine version: "+
		"the state machine '"+sm+"' has reached the limit of 1000 versions.")
}

// DeleteStateMachine deletes the machine's versions and aliases with it.
func TestDeleteStateMachineDeletesVersionsAndAliases(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("Jobs", passResult(1))
	_, err := h.publish(sm, nil)
	require.NoError(t, err)
	h.createAlias("prod", nil, route100(sm+":1"))
	_, err = h.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	_, err = h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm + ":1")})
	requireAPIError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+sm+":1'")
	_, err = h.client.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(sm + ":prod")})
	requireAPIError(t, err, "ResourceNotFound", noSuchResource)

	// A machine created again under the name numbers its versions from 1.
	sm = h.createMachine("Jobs", passResult(2))
	v, err := h.publish(sm, nil)
	require.NoError(t, err)
	require.Equal(t, sm+":1", aws.ToString(v.StateMachineVersionArn))
}
