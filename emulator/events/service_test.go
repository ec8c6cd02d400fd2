package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/clock"
)

// sent is one call of Config.Deliver.
type sent struct {
	target  string
	payload string
}

// newService is a Service on a fake clock whose deliveries go to the
// returned channel.
func newService(t *testing.T) (*Service, chan sent) {
	t.Helper()
	ch := make(chan sent, 100)
	n := 0
	s := New(Config{
		Clock: clock.NewFake(time.Date(2026, 3, 5, 10, 7, 35, 0, time.UTC)),
		NewID: func() string { n++; return fmt.Sprintf("id-%d", n) },
		Deliver: func(_ context.Context, target string, payload []byte) error {
			ch <- sent{target, string(payload)}
			return nil
		},
	})
	t.Cleanup(s.Close)
	return s, ch
}

func ptr[T any](v T) *T { return &v }

const statesPattern = `{"source":["aws.states"],"detail-type":["Step Functions Execution Status Change"],"detail":{"status":["ABORTED","TIMED_OUT"]}}`

func statusEvent(status string) Entry {
	return Entry{Source: ptr("aws.states"), DetailType: ptr("Step Functions Execution Status Change"),
		Detail: ptr(`{"status": "` + status + `", "name": "exec-1"}`), Resources: []string{"arn:exec"}}
}

func addRule(t *testing.T, s *Service, name, pat string, targets ...Target) {
	t.Helper()
	_, err := s.PutRule(context.Background(), PutRuleInput{Name: name, EventPattern: ptr(pat)})
	require.NoError(t, err)
	if len(targets) > 0 {
		_, err = s.PutTargets(context.Background(), name, "", targets)
		require.NoError(t, err)
	}
}

func receive(t *testing.T, ch chan sent) sent {
	t.Helper()
	select {
	case d := <-ch:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery")
		return sent{}
	}
}

func requireNone(t *testing.T, ch chan sent) {
	t.Helper()
	select {
	case d := <-ch:
		t.Fatalf("unexpected delivery %+v", d)
	case <-time.After(50 * time.Millisecond):
	}
}

// docs/eventbridge.md §1 and §4: a matching enabled rule's target gets the
// whole envelope.
func TestPutEventsDeliversTheEnvelope(t *testing.T) {
	s, ch := newService(t)
	addRule(t, s, "cancel", statesPattern, Target{ID: "t1", Arn: "arn:aws:lambda:us-east-1:123456789012:function:cancel"})
	out, err := s.PutEvents(context.Background(), []Entry{statusEvent("ABORTED"), statusEvent("SUCCEEDED")})
	require.NoError(t, err)
	require.Equal(t, PutEventsOutput{Entries: []EntryResult{{EventID: "id-1"}, {EventID: "id-2"}}}, out)
	d := receive(t, ch)
	require.Equal(t, "arn:aws:lambda:us-east-1:123456789012:function:cancel", d.target)
	require.JSONEq(t, `{"version":"0","id":"id-1","detail-type":"Step Functions Execution Status Change",
		"source":"aws.states","account":"123456789012","time":"2026-03-05T10:07:35Z","region":"us-east-1",
		"resources":["arn:exec"],"detail":{"status":"ABORTED","name":"exec-1"}}`, d.payload)
	require.True(t, strings.HasPrefix(d.payload, `{"version":"0","id":"id-1","detail-type"`), "members in AWS's order")
	require.True(t, strings.HasSuffix(d.payload, `"detail":{"status":"ABORTED","name":"exec-1"}}`), "the detail compacted")
	requireNone(t, ch)
}

// docs/eventbridge.md §3.2: a DISABLED rule matches nothing until enabled.
func TestDisabledRulesDoNotDeliver(t *testing.T) {
	s, ch := newService(t)
	addRule(t, s, "r", `{"source":["aws.states"]}`, Target{ID: "t", Arn: "fn"})
	ctx := context.Background()
	require.NoError(t, s.DisableRule(ctx, "r", ""))
	_, err := s.PutEvents(ctx, []Entry{statusEvent("ABORTED")})
	require.NoError(t, err)
	requireNone(t, ch)
	require.NoError(t, s.EnableRule(ctx, "r", "default"))
	_, err = s.PutEvents(ctx, []Entry{statusEvent("ABORTED")})
	require.NoError(t, err)
	require.Equal(t, "fn", receive(t, ch).target)
}

// docs/eventbridge.md §4: Input replaces the event, InputPath selects part.
func TestInputAndInputPath(t *testing.T) {
	s, ch := newService(t)
	addRule(t, s, "r", `{"source":["aws.states"]}`,
		Target{ID: "a", Arn: "fa", Input: `{"const": true}`},
		Target{ID: "b", Arn: "fb", InputPath: "$.detail"},
		Target{ID: "c", Arn: "fc", InputPath: "$.detail.name"})
	_, err := s.PutEvents(context.Background(), []Entry{statusEvent("FAILED")})
	require.NoError(t, err)
	require.Equal(t, sent{"fa", `{"const": true}`}, receive(t, ch))
	require.Equal(t, sent{"fb", `{"name":"exec-1","status":"FAILED"}`}, receive(t, ch))
	require.Equal(t, sent{"fc", `"exec-1"`}, receive(t, ch))
}

// docs/eventbridge.md §3.1: entry errors are results, not request errors.
func TestPutEventsEntryErrors(t *testing.T) {
	s, _ := newService(t)
	out, err := s.PutEvents(context.Background(), []Entry{
		{DetailType: ptr("t"), Detail: ptr(`{}`)},
		{Source: ptr("s"), Detail: ptr(`{}`)},
		{Source: ptr("s"), DetailType: ptr("t")},
		{Source: ptr("s"), DetailType: ptr("t"), Detail: ptr(`[1]`)},
		{Source: ptr("s"), DetailType: ptr("t"), Detail: ptr(`{"a":`)},
		{Source: ptr("s"), DetailType: ptr("t"), Detail: ptr(`{}`)},
	})
	require.NoError(t, err)
	require.Equal(t, 5, out.FailedEntryCount)
	require.Equal(t, []EntryResult{
		{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument."},
		{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument."},
		{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument."},
		{ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed."},
		{ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed."},
		{EventID: "id-1"},
	}, out.Entries)
}

// docs/eventbridge.md §3.1: the request's entries may weigh 256 KB.
func TestPutEventsSizeLimit(t *testing.T) {
	s, _ := newService(t)
	big := `{"x":"` + strings.Repeat("a", maxRequestSize-len(`{"x":""}`)-2) + `"}`
	_, err := s.PutEvents(context.Background(), []Entry{{Source: ptr("s"), DetailType: ptr("t"), Detail: ptr(big)}})
	require.NoError(t, err)
	_, err = s.PutEvents(context.Background(), []Entry{{Source: ptr("s"), DetailType: ptr("t"), Detail: ptr(big), Time: ptr(time.Now())}})
	requireKind(t, err, ErrValidation, "Total size of the entries in the request is over the limit.")
}

// docs/eventbridge.md §3.1: an entry for a bus that does not exist gets an
// id and goes nowhere.
func TestPutEventsOtherBus(t *testing.T) {
	s, ch := newService(t)
	addRule(t, s, "r", `{"source":["aws.states"]}`, Target{ID: "t", Arn: "fn"})
	e := statusEvent("ABORTED")
	e.EventBusName = "custom"
	out, err := s.PutEvents(context.Background(), []Entry{e})
	require.NoError(t, err)
	require.Equal(t, "id-1", out.Entries[0].EventID)
	requireNone(t, ch)
}

// Publish is the typed path for other services; events keep their order.
func TestPublishKeepsOrder(t *testing.T) {
	s, ch := newService(t)
	addRule(t, s, "r", `{"source":["aws.states"]}`, Target{ID: "t", Arn: "fn", InputPath: "$.detail.n"})
	for i := range 50 {
		_, err := s.Publish(context.Background(), Event{Source: "aws.states", DetailType: "x", Detail: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))})
		require.NoError(t, err)
	}
	for i := range 50 {
		require.Equal(t, fmt.Sprint(i), receive(t, ch).payload)
	}
	_, err := s.Publish(context.Background(), Event{Source: "s", DetailType: "x", Detail: json.RawMessage(`"no"`)})
	requireKind(t, err, ErrValidation, "Detail is malformed.")
}

func TestRuleLifecycle(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	arn, err := s.PutRule(ctx, PutRuleInput{Name: "b-rule", EventPattern: ptr(`{"source":["x"]}`), Description: ptr("d")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:events:us-east-1:123456789012:rule/b-rule", arn)
	addRule(t, s, "a-rule", `{"source":["y"]}`)
	r, err := s.DescribeRule(ctx, "b-rule", "")
	require.NoError(t, err)
	require.Equal(t, Rule{Name: "b-rule", Arn: arn, EventBusName: "default", EventPattern: `{"source":["x"]}`,
		State: "ENABLED", Description: "d", CreatedBy: "123456789012"}, r)
	rules, err := s.ListRules(ctx, "", "")
	require.NoError(t, err)
	require.Equal(t, []string{"a-rule", "b-rule"}, []string{rules[0].Name, rules[1].Name})
	rules, err = s.ListRules(ctx, "b", "")
	require.NoError(t, err)
	require.Len(t, rules, 1)
	// docs/eventbridge.md §3.2: PutRule replaces the rule; targets stay.
	_, err = s.PutTargets(ctx, "b-rule", "", []Target{{ID: "t", Arn: "fn"}})
	require.NoError(t, err)
	_, err = s.PutRule(ctx, PutRuleInput{Name: "b-rule", EventPattern: ptr(`{"source":["z"]}`)})
	require.NoError(t, err)
	r, _ = s.DescribeRule(ctx, "b-rule", "")
	require.Empty(t, r.Description)
	targets, err := s.ListTargetsByRule(ctx, "b-rule", "")
	require.NoError(t, err)
	require.Len(t, targets, 1)
	requireKind(t, s.DeleteRule(ctx, "b-rule", ""), ErrValidation, "Rule can't be deleted since it has targets.")
	_, err = s.RemoveTargets(ctx, "b-rule", "", []string{"t", "unknown"})
	require.NoError(t, err)
	require.NoError(t, s.DeleteRule(ctx, "b-rule", ""))
	require.NoError(t, s.DeleteRule(ctx, "b-rule", ""), "deleting an absent rule succeeds")
	_, err = s.DescribeRule(ctx, "b-rule", "")
	requireKind(t, err, ErrResourceNotFound, "Rule b-rule does not exist on EventBus default.")
}

func TestRuleErrors(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	_, err := s.PutRule(ctx, PutRuleInput{Name: "r", EventPattern: ptr(`{"source":"x"}`)})
	requireKind(t, err, ErrInvalidEventPattern, `"source" must be an object or an array`)
	_, err = s.PutRule(ctx, PutRuleInput{Name: "r"})
	requireKind(t, err, ErrValidation, "Parameter(s) EventPattern or ScheduleExpression must be specified.")
	_, err = s.PutRule(ctx, PutRuleInput{Name: "r", ScheduleExpression: ptr("every day")})
	requireKind(t, err, ErrValidation, "Parameter ScheduleExpression is not valid.")
	_, err = s.PutRule(ctx, PutRuleInput{Name: "r", EventPattern: ptr(`{"source":["x"]}`), EventBusName: ptr("custom")})
	requireKind(t, err, ErrResourceNotFound, "Event bus custom does not exist.")
	for _, op := range []func() error{
		func() error { return s.EnableRule(ctx, "nope", "") },
		func() error { return s.DisableRule(ctx, "nope", "") },
		func() error { _, err := s.PutTargets(ctx, "nope", "", []Target{{ID: "t", Arn: "a"}}); return err },
		func() error { _, err := s.RemoveTargets(ctx, "nope", "", []string{"t"}); return err },
		func() error { _, err := s.ListTargetsByRule(ctx, "nope", ""); return err },
	} {
		requireKind(t, op(), ErrResourceNotFound, "Rule nope does not exist on EventBus default.")
	}
}

// docs/eventbridge.md §3.3: the target checks.
func TestTargetErrors(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	addRule(t, s, "r", `{"source":["x"]}`)
	_, err := s.PutTargets(ctx, "r", "", []Target{{ID: "t", Arn: "a", Input: "{}", InputPath: "$"}})
	requireKind(t, err, ErrValidation, "Only one of Input, InputPath, or InputTransformer must be provided for target t.")
	var six []Target
	for i := range 6 {
		six = append(six, Target{ID: fmt.Sprint(i), Arn: "a"})
	}
	_, err = s.PutTargets(ctx, "r", "", six)
	requireKind(t, err, ErrLimitExceeded, "The requested resource exceeds the maximum number allowed.")
	_, err = s.PutTargets(ctx, "r", "", six[:5])
	require.NoError(t, err)
	_, err = s.PutTargets(ctx, "r", "", six[:1])
	require.NoError(t, err, "replacing a target by Id does not add one")
	_, err = s.PutTargets(ctx, "r", "", []Target{{ID: "x", Arn: "a", InputPath: "$.a[0]"}})
	require.ErrorIs(t, err, ErrValidation)
}

// A scheduled rule without a pattern never fires on PutEvents
// (docs/eventbridge.md §3.2).
func TestScheduledRulesIgnoreEvents(t *testing.T) {
	s, ch := newService(t)
	ctx := context.Background()
	_, err := s.PutRule(ctx, PutRuleInput{Name: "tick", ScheduleExpression: ptr("rate(5 minutes)")})
	require.NoError(t, err)
	_, err = s.PutTargets(ctx, "tick", "", []Target{{ID: "t", Arn: "fn"}})
	require.NoError(t, err)
	_, err = s.PutEvents(ctx, []Entry{statusEvent("ABORTED")})
	require.NoError(t, err)
	requireNone(t, ch)
}

func TestCloseStopsDelivery(t *testing.T) {
	s, ch := newService(t)
	addRule(t, s, "r", `{"source":["aws.states"]}`, Target{ID: "t", Arn: "fn"})
	s.Close()
	_, err := s.PutEvents(context.Background(), []Entry{statusEvent("ABORTED")})
	require.NoError(t, err)
	requireNone(t, ch)
}

func requireKind(t *testing.T, err, kind error, detail string) {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var e *Error
	require.True(t, errors.As(err, &e))
	require.Equal(t, detail, e.Detail)
}

// TestRulesRestoredFromTheStore: rules and their targets saved to a store
// are the same in a service restored from it; a deleted rule stays
// deleted (docs/durability.md §4).
func TestRulesRestoredFromTheStore(t *testing.T) {
	st := store.NewMem()
	ctx := context.Background()
	s := New(Config{Store: st})
	defer s.Close()
	addRule(t, s, "kept", statesPattern, Target{ID: "b", Arn: "arn:b", InputPath: "$.detail"}, Target{ID: "a", Arn: "arn:a", Input: `{"x":1}`})
	addRule(t, s, "gone", statesPattern)
	require.NoError(t, s.DisableRule(ctx, "kept", ""))
	require.NoError(t, s.Save())
	require.NoError(t, s.DeleteRule(ctx, "gone", ""))
	require.NoError(t, s.Save())

	r := New(Config{Store: st})
	defer r.Close()
	require.NoError(t, r.Restore())
	want, _ := s.ListRules(ctx, "", "")
	got, err := r.ListRules(ctx, "", "")
	require.NoError(t, err)
	require.Equal(t, want, got)
	wantT, _ := s.ListTargetsByRule(ctx, "kept", "")
	gotT, err := r.ListTargetsByRule(ctx, "kept", "")
	require.NoError(t, err)
	require.Equal(t, wantT, gotT)
	require.NotNil(t, r.rules["kept"].pattern, "the pattern is compiled again")
}

// TestCorruptRuleRecordIsRefused: a record that does not decode, names
// another rule or whose pattern no longer compiles is an error naming
// it.
func TestCorruptRuleRecordIsRefused(t *testing.T) {
	tests := []struct{ name, value string }{
		{"not json", "{"},
		{"another rule", `{"Rule":{"Name":"other","EventPattern":"{\"source\":[\"x\"]}"}}`},
		{"bad pattern", `{"Rule":{"Name":"r","EventPattern":"{\"source\":\"x\"}"}}`},
		{"neither pattern nor schedule", `{"Rule":{"Name":"r"}}`},
	}
	for _, tt := range tests {
		st := store.NewMem()
		require.NoError(t, st.Apply(store.Put(Bucket, "rule/r", []byte(tt.value))))
		s := New(Config{Store: st})
		err := s.Restore()
		s.Close()
		if err == nil || !strings.Contains(err.Error(), Bucket+"/rule/r") {
			t.Errorf("%s: Restore = %v, want an error naming the record", tt.name, err)
		}
	}
}
