package eventsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/events"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/sdkretry"
)

// harness is a Service behind Handler on a real HTTP server and a real
// SDK client; deliveries go to its channel.
type harness struct {
	svc       *events.Service
	client    *eventbridge.Client
	url       string
	delivered chan [2]string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{delivered: make(chan [2]string, 100)}
	h.svc = events.New(events.Config{
		Clock: clock.NewFake(time.Date(2026, 3, 5, 10, 7, 35, 0, time.UTC)),
		Deliver: func(_ context.Context, target string, payload []byte) error {
			h.delivered <- [2]string{target, string(payload)}
			return nil
		},
	})
	t.Cleanup(h.svc.Close)
	r := awsapi.NewRouter()
	r.HandleTarget(TargetPrefix, Handler(h.svc))
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	h.url = srv.URL
	h.client = eventbridge.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     sdkretry.OnClosedConn,
	}, func(o *eventbridge.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	return h
}

// requireAPIError checks an AWS error code and exact message.
func requireAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an API error: %v", err)
	require.Equal(t, code, ae.ErrorCode())
	require.Equal(t, message, ae.ErrorMessage())
}

const fnArn = "arn:aws:lambda:us-east-1:123456789012:function:cancel"

// The cancel-on-abort rule of docs/eventbridge.md §5, end to end through
// the SDK: PutRule, PutTargets, PutEvents, delivery.
func TestRuleTargetAndPutEvents(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	rule, err := h.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("cancel"),
		EventPattern: aws.String(`{"source":["aws.states"],"detail":{"status":["ABORTED"]}}`)})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:events:us-east-1:123456789012:rule/cancel", aws.ToString(rule.RuleArn))
	pt, err := h.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("cancel"),
		Targets: []types.Target{{Id: aws.String("fn"), Arn: aws.String(fnArn), InputPath: aws.String("$.detail")}}})
	require.NoError(t, err)
	require.Zero(t, pt.FailedEntryCount)
	require.Empty(t, pt.FailedEntries)

	out, err := h.client.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{
		{Source: aws.String("aws.states"), DetailType: aws.String("Step Functions Execution Status Change"),
			Detail: aws.String(`{"status":"ABORTED"}`), Time: aws.Time(time.Unix(1772705255, 0))},
		{Source: aws.String("aws.states"), DetailType: aws.String("x")},
	}})
	require.NoError(t, err)
	require.Equal(t, int32(1), out.FailedEntryCount)
	require.Len(t, out.Entries, 2)
	require.NotEmpty(t, aws.ToString(out.Entries[0].EventId))
	require.Equal(t, "InvalidArgument", aws.ToString(out.Entries[1].ErrorCode))
	require.Equal(t, "Parameter Detail is not valid. Reason: Detail is a required argument.", aws.ToString(out.Entries[1].ErrorMessage))
	select {
	case d := <-h.delivered:
		require.Equal(t, [2]string{fnArn, `{"status":"ABORTED"}`}, d)
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery")
	}
}

func TestDescribeListEnableDisableDelete(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, n := range []string{"b", "a", "c"} {
		_, err := h.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(n), Description: aws.String("rule " + n),
			EventPattern: aws.String(`{"source":["s"]}`)})
		require.NoError(t, err)
	}
	_, err := h.client.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String("b")})
	require.NoError(t, err)
	d, err := h.client.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("b")})
	require.NoError(t, err)
	require.Equal(t, types.RuleStateDisabled, d.State)
	require.Equal(t, "rule b", aws.ToString(d.Description))
	require.Equal(t, "default", aws.ToString(d.EventBusName))
	require.Equal(t, "123456789012", aws.ToString(d.CreatedBy))
	_, err = h.client.EnableRule(ctx, &eventbridge.EnableRuleInput{Name: aws.String("b")})
	require.NoError(t, err)

	list, err := h.client.ListRules(ctx, &eventbridge.ListRulesInput{Limit: aws.Int32(2)})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, ruleNames(list.Rules))
	require.NotNil(t, list.NextToken)
	list, err = h.client.ListRules(ctx, &eventbridge.ListRulesInput{Limit: aws.Int32(2), NextToken: list.NextToken})
	require.NoError(t, err)
	require.Equal(t, []string{"c"}, ruleNames(list.Rules))
	require.Nil(t, list.NextToken)
	list, err = h.client.ListRules(ctx, &eventbridge.ListRulesInput{NamePrefix: aws.String("a")})
	require.NoError(t, err)
	require.Equal(t, []string{"a"}, ruleNames(list.Rules))
	require.Equal(t, types.RuleStateEnabled, list.Rules[0].State)

	_, err = h.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("a"),
		Targets: []types.Target{{Id: aws.String("t2"), Arn: aws.String(fnArn), Input: aws.String(`{"k":1}`)},
			{Id: aws.String("t1"), Arn: aws.String(fnArn), RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(3)}}}})
	require.NoError(t, err)
	tl, err := h.client.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("a")})
	require.NoError(t, err)
	require.Len(t, tl.Targets, 2)
	require.Equal(t, "t1", aws.ToString(tl.Targets[0].Id))
	require.Equal(t, int32(3), aws.ToInt32(tl.Targets[0].RetryPolicy.MaximumRetryAttempts))
	require.Equal(t, `{"k":1}`, aws.ToString(tl.Targets[1].Input))

	_, err = h.client.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("a")})
	requireAPIError(t, err, "ValidationException", "Rule can't be deleted since it has targets.")
	rt, err := h.client.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("a"), Ids: []string{"t1", "t2"}})
	require.NoError(t, err)
	require.Zero(t, rt.FailedEntryCount)
	_, err = h.client.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("a")})
	require.NoError(t, err)
	_, err = h.client.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("a")})
	requireAPIError(t, err, "ResourceNotFoundException", "Rule a does not exist on EventBus default.")
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
}

func ruleNames(rules []types.Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, aws.ToString(r.Name))
	}
	return out
}

// docs/eventbridge.md §2.3 and §3: error codes and messages on the wire.
func TestErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	_, err := h.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"int":42}`)})
	requireAPIError(t, err, "InvalidEventPatternException", `Event pattern is not valid. Reason: "int" must be an object or an array`)
	var ip *types.InvalidEventPatternException
	require.ErrorAs(t, err, &ip)

	_, err = h.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("bad name"), EventPattern: aws.String(`{"a":["b"]}`)})
	requireAPIError(t, err, "ValidationException", `1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`)

	_, err = h.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"a":["b"]}`), State: "ON"})
	requireAPIError(t, err, "ValidationException", `1 validation error detected: Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`)

	var entries []types.PutEventsRequestEntry
	for i := range 11 {
		entries = append(entries, types.PutEventsRequestEntry{Source: aws.String(fmt.Sprint(i)), DetailType: aws.String("t"), Detail: aws.String("{}")})
	}
	_, err = h.client.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
	requireAPIError(t, err, "ValidationException", `1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`)

	_, err = h.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"a":["b"]}`)})
	require.NoError(t, err)
	var six []types.Target
	for i := range 6 {
		six = append(six, types.Target{Id: aws.String(fmt.Sprint(i)), Arn: aws.String(fnArn)})
	}
	_, err = h.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: six})
	requireAPIError(t, err, "LimitExceededException", "The requested resource exceeds the maximum number allowed.")
	_, err = h.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"),
		Targets: []types.Target{{Id: aws.String("t"), Arn: aws.String(fnArn), Input: aws.String("{}"), InputPath: aws.String("$")}}})
	requireAPIError(t, err, "ValidationException", "Only one of Input, InputPath, or InputTransformer must be provided for target t.")
	_, err = h.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("nope"),
		Targets: []types.Target{{Id: aws.String("t"), Arn: aws.String(fnArn)}}})
	requireAPIError(t, err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	_, err = h.client.ListRules(ctx, &eventbridge.ListRulesInput{NextToken: aws.String("garbage")})
	require.Error(t, err)
}
