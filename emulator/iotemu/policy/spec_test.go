package policy

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

const arnPrefix = "arn:aws:iot:us-east-1:123456789012:"

func mustParse(t testing.TB, name, doc string) *Policy {
	t.Helper()
	p, err := Parse(doc)
	require.NoError(t, err)
	p.Name = name
	return p
}

func allow(action, resource string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":%q,"Resource":%q}}`, action, resource)
}

// Reference §1.4 [Doc pub-sub-policy]: iot:Subscribe compares the literal
// filter the client sends with the topicfilter resource, using the policy
// glob; MQTT wildcards are never expanded.
func TestSpecTopicfilterMatchesLiteralFilter(t *testing.T) {
	tests := []struct {
		filter, resource string
		want             bool
	}{
		{"tenant1/from/+", "topicfilter/tenant1/from/+", true},
		{"tenant1/from/+", "topicfilter/tenant1/from/*", true},
		{"tenant1/from/job42", "topicfilter/tenant1/from/+", false},
		{"tenant1/#", "topicfilter/tenant1/*", true},
		{"#", "topicfilter/tenant1/*", false},
		{"$share/g/tenant1/x", "topicfilter/tenant1/x", false},
		{"$share/g/tenant1/x", "topicfilter/$share/*/tenant1/x", true},
	}
	for _, tt := range tests {
		t.Run(tt.filter+" vs "+tt.resource, func(t *testing.T) {
			p := mustParse(t, "p", allow("iot:Subscribe", "arn:aws:iot:*:*:"+tt.resource))
			d := Evaluate([]*Policy{p}, Request{Action: "iot:Subscribe", Resource: arnPrefix + "topicfilter/" + tt.filter})
			require.Equal(t, tt.want, d.Allowed, d.String())
		})
	}
}

// Reference §1.3 [Doc pub-sub-policy]: `*` crosses `/`, `?` is exactly one
// character, `+` and `#` are plain characters, `$(*)` is a literal star.
func TestSpecPolicyWildcards(t *testing.T) {
	tests := []struct {
		resource, topic string
		want            bool
	}{
		{"topic/a/*", "a/b/c/d", true},
		{"topic/a/?/c", "a/b/c", true},
		{"topic/a/?/c", "a/bb/c", false},
		{"topic/a/?????/c", "a/bbbbb/c", true},
		{"topic/a/+", "a/b", false},
		{"topic/a/+", "a/+", true},
		{"topic/a/#", "a/b", false},
		{"topic/a/$(*)", "a/*", true},
		{"topic/a/$(*)", "a/b", false},
		{"topic/A/*", "a/b", false},
	}
	for _, tt := range tests {
		t.Run(tt.resource+" vs "+tt.topic, func(t *testing.T) {
			p := mustParse(t, "p", allow("iot:Publish", "arn:aws:iot:*:*:"+tt.resource))
			d := Evaluate([]*Policy{p}, Request{Action: "iot:Publish", Resource: arnPrefix + "topic/" + tt.topic})
			require.Equal(t, tt.want, d.Allowed, d.String())
		})
	}
}

// Reference §1.2: region and account in resource ARNs match with the same
// glob, and AWS samples even leave them empty or use `*`.
func TestSpecRegionAndAccountGlob(t *testing.T) {
	for _, res := range []string{"arn:aws:iot:*:*:client/c1", "arn:aws:iot:us-east-1:123456789012:client/c1", "arn:aws:iot:us-*:*:client/*", "*"} {
		p := mustParse(t, "p", allow("iot:Connect", res))
		require.True(t, Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: arnPrefix + "client/c1"}).Allowed, res)
	}
	p := mustParse(t, "p", allow("iot:Connect", "arn:aws:iot:eu-west-1:*:client/c1"))
	require.False(t, Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: arnPrefix + "client/c1"}).Allowed)
}

// Reference §1.5 [Doc IAM semantics]: explicit Deny wins over any Allow in
// any attached policy, independent of order; no match is an implicit deny.
func TestSpecExplicitDenyWins(t *testing.T) {
	allowAll := mustParse(t, "allow", allow("iot:*", "*"))
	deny := mustParse(t, "deny", `{"Version":"2012-10-17","Statement":[{"Sid":"NoRestricted","Effect":"Deny","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/a/restricted/*"}]}`)
	req := Request{Action: "iot:Receive", Resource: arnPrefix + "topic/a/restricted/x"}
	for _, order := range [][]*Policy{{allowAll, deny}, {deny, allowAll}} {
		d := Evaluate(order, req)
		require.Equal(t, Decision{ExplicitDeny: true, Statement: "deny/NoRestricted"}, d)
	}
	require.Equal(t, Decision{Allowed: true, Statement: "allow/#0"}, Evaluate([]*Policy{allowAll, deny}, Request{Action: "iot:Receive", Resource: arnPrefix + "topic/a/open"}))
	require.Equal(t, Decision{}, Evaluate([]*Policy{deny}, Request{Action: "iot:Receive", Resource: arnPrefix + "topic/a/open"}))
	require.Equal(t, Decision{}, Evaluate(nil, req))
}

// Reference §1.4, consequence documented by AWS: a Deny on
// topicfilter/a/restricted/* does not stop a subscription to `a/#`; the
// Receive check on the concrete topic must do it.
func TestSpecDenyOnTopicfilterDoesNotCoverWildcardSubscription(t *testing.T) {
	p := mustParse(t, "p", `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/a/*"},
	 {"Effect":"Deny","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/a/restricted/*"}]}`)
	require.True(t, Evaluate([]*Policy{p}, Request{Action: "iot:Subscribe", Resource: arnPrefix + "topicfilter/a/#"}).Allowed)
	require.True(t, Evaluate([]*Policy{p}, Request{Action: "iot:Subscribe", Resource: arnPrefix + "topicfilter/a/restricted/x"}).ExplicitDeny)
}

// Reference §1.6 [Doc thing-policy-variables, cert-policy-variables]:
// variables substitute from the connection; an unresolved variable makes
// the resource match nothing (never `*`).
func TestSpecPolicyVariables(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
	  "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
	 {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:*:*:topic/${iot:ClientId}/out"},
	 {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/site/${iot:Connection.Thing.Attributes[site]}/*"},
	 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/cn/${iot:Certificate.Subject.CommonName}"}]}`
	p := mustParse(t, "tenant", doc)
	attached := map[string]string{
		"iot:ClientId":                          "tenant2",
		"iot:Connection.Thing.ThingName":        "tenant2",
		"iot:Connection.Thing.IsAttached":       "true",
		"iot:Connection.Thing.Attributes[site]": "berlin",
		"iot:Certificate.Subject.CommonName":    "tenant2",
	}
	detached := map[string]string{"iot:ClientId": "other", "iot:Connection.Thing.IsAttached": "false", "iot:Certificate.Subject.CommonName": "tenant2"}
	tests := []struct {
		name     string
		ctx      map[string]string
		action   string
		resource string
		want     bool
	}{
		{"thing name connect", attached, "iot:Connect", "client/tenant2", true},
		{"other client id", attached, "iot:Connect", "client/tenant1", false},
		{"thing unresolved", detached, "iot:Connect", "client/other", false},
		{"literal variable text never matches", detached, "iot:Connect", "client/${iot:Connection.Thing.ThingName}", false},
		{"client id", attached, "iot:Publish", "topic/tenant2/out", true},
		{"client id other", attached, "iot:Publish", "topic/tenant1/out", false},
		{"attribute", attached, "iot:Receive", "topic/site/berlin/x", true},
		{"attribute other", attached, "iot:Receive", "topic/site/paris/x", false},
		{"attribute unresolved", detached, "iot:Receive", "topic/site//x", false},
		{"common name", detached, "iot:Subscribe", "topicfilter/cn/tenant2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate([]*Policy{p}, Request{Action: tt.action, Resource: arnPrefix + tt.resource, Context: tt.ctx})
			require.Equal(t, tt.want, d.Allowed, d.String())
		})
	}
}

// Reference §1.1: variables need Version 2012-10-17; without it `${...}`
// is plain text.
func TestSpecVariablesNeedVersion2012(t *testing.T) {
	p := mustParse(t, "old", `{"Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:ClientId}"}}`)
	ctx := map[string]string{"iot:ClientId": "c1"}
	require.False(t, Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: arnPrefix + "client/c1", Context: ctx}).Allowed)
	require.True(t, Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: arnPrefix + "client/${iot:ClientId}", Context: ctx}).Allowed)
}

// Reference §1.1 [Doc, AWS pub-sub example]: NotAction and NotResource.
func TestSpecNotActionNotResource(t *testing.T) {
	p := mustParse(t, "p", `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","NotAction":"iot:Publish","Resource":"*"},
	 {"Effect":"Allow","Action":"iot:Publish","NotResource":"arn:aws:iot:*:*:topic/secret/*"}]}`)
	tests := []struct {
		action, resource string
		want             bool
	}{
		{"iot:Receive", "topic/anything", true},
		{"iot:Publish", "topic/open", true},
		{"iot:Publish", "topic/secret/x", false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Evaluate([]*Policy{p}, Request{Action: tt.action, Resource: arnPrefix + tt.resource}).Allowed, tt)
	}
}

func TestActionMatching(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"iot:*", "iot:Publish", true},
		{"*", "iot:Connect", true},
		{"iot:publish", "iot:Publish", true},
		{"iot:Pub*", "iot:Publish", true},
		{"iot:Publish", "iot:RetainPublish", false},
		{"iot:Sub*", "iot:Publish", false},
	}
	for _, tt := range tests {
		p := mustParse(t, "p", allow(tt.pattern, "*"))
		require.Equal(t, tt.want, Evaluate([]*Policy{p}, Request{Action: tt.action, Resource: "x"}).Allowed, tt)
	}
}

func TestConditions(t *testing.T) {
	ctx := map[string]string{"iot:ClientId": "dev-7", "iot:Connection.Thing.IsAttached": "true"}
	tests := []struct {
		cond string
		want bool
	}{
		{`{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}`, true},
		{`{"Bool":{"iot:Connection.Thing.IsAttached":["true"]}}`, true},
		{`{"Bool":{"iot:Connection.Thing.IsAttached":true}}`, true},
		{`{"Bool":{"iot:Connection.Thing.IsAttached":"false"}}`, false},
		{`{"StringEquals":{"iot:ClientId":"dev-7"}}`, true},
		{`{"StringEquals":{"iot:ClientId":"dev-*"}}`, false},
		{`{"StringLike":{"iot:ClientId":"dev-*"}}`, true},
		{`{"StringNotLike":{"iot:ClientId":"dev-*"}}`, false},
		{`{"StringNotEquals":{"iot:ClientId":["a","b"]}}`, true},
		{`{"StringEquals":{"iot:Missing":"x"}}`, false},
		{`{"StringEqualsIfExists":{"iot:Missing":"x"}}`, true},
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, false},
		{`{"StringEquals":{"iot:ClientId":"${iot:ClientId}"}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			p := mustParse(t, "p", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"*","Condition":`+tt.cond+`}}`)
			require.Equal(t, tt.want, Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: "x", Context: ctx}).Allowed)
		})
	}
}
