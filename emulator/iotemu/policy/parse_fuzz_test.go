package policy

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParsePolicy parses an arbitrary document and evaluates an arbitrary
// request against it. Every refusal wraps ErrMalformed (the control plane
// maps it to MalformedPolicyException); a parsed policy evaluates without
// panicking, never both allows and explicitly denies, and decides the same
// way twice. (FuzzParse in fuzz_test.go covers the fixed request.)
func FuzzParsePolicy(f *testing.F) {
	seeds := []struct{ doc, action, resource, clientID string }{
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:*:*:topic/${iot:ClientId}/*"}]}`,
			"iot:Publish", "arn:aws:iot:us-east-1:123456789012:topic/c1/x", "c1"},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":["iot:*"],"Resource":["*"],"Condition":{"StringLike":{"iot:ClientId":["a*"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Null":{"iot:Connection.Thing.ThingName":"true"}}}}`,
			"IOT:CONNECT", "arn:aws:iot:us-east-1:123456789012:client/abc", "abc"},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"` + strings.Repeat("*a", 500) + `b"}]}`,
			"iot:Connect", strings.Repeat("a", 20000), "x"},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"${iot:ClientId}${iot:ClientId}$(*)$(?)$($)${"}]}`,
			"iot:Receive", "xx*?$${", "x"},
		{`{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}`, "", "", ""},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"1e999"}}}]}`, "", "", ""},
		{`{"Statement":[]}`, "", "", ""},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow"},"Statement":[1]}`, "", "", ""},
		{"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"\xff\",\"Resource\":\"\xfe*\"}}", "\xff", "\xfe\xfe", "\xff"},
		{strings.Repeat(`{"a":`, 10001) + strings.Repeat(`}`, 10001), "", "", ""},
		{`{"Statement":[` + strings.Repeat(`{"Effect":"Allow","Action":"*","Resource":"*"},`, 2000) + `{}]}`, "", "", ""},
		{``, "", "", ""},
		{`null`, "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.doc, s.action, s.resource, s.clientID)
	}
	f.Fuzz(func(t *testing.T, doc, action, resource, clientID string) {
		p, err := Parse(doc)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error %v does not wrap ErrMalformed", err)
			}
			return
		}
		req := Request{Action: action, Resource: resource, Context: map[string]string{
			"iot:ClientId": clientID, "aws:SourceIp": "10.1.2.3", "iot:Connection.Thing.IsAttached": "true"}}
		d := Evaluate([]*Policy{p}, req)
		if d.Allowed && d.ExplicitDeny {
			t.Fatalf("decision both allowed and denied: %+v", d)
		}
		if d2 := Evaluate([]*Policy{p, p}, req); d2.Allowed != d.Allowed || d2.ExplicitDeny != d.ExplicitDeny {
			t.Fatalf("one copy decides %+v, two copies %+v", d, d2)
		}
	})
}
