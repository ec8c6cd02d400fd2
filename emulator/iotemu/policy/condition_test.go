package policy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Reference §1.1 [Doc]: the IAM condition operators IoT policies use,
// with the IoT keys of §1.6 (attributes, certificate fields and their
// .List forms, source IP, connect attributes).
func TestSpecConditionOperators(t *testing.T) {
	ctx := map[string]string{
		"iot:ClientId":                              "dev-7",
		"aws:SourceIp":                              "10.1.2.3",
		"iot:Connection.Thing.Attributes[floor]":    "3",
		"iot:Certificate.Subject.Organization.List": "acme" + ListSeparator + "globex",
		"iot:ConnectAttributes":                     "PersistentConnect" + ListSeparator + "LastWill",
		"iot:Connection.Thing.ThingName":            "dev-7",
	}
	tests := []struct {
		cond string
		want bool
	}{
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, true},
		{`{"IpAddress":{"aws:SourceIp":["192.168.0.0/16","10.1.2.3"]}}`, true},
		{`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, false},
		{`{"IpAddress":{"aws:SourceIp":"10.1.2.0/31"}}`, false},
		{`{"NumericEquals":{"iot:Connection.Thing.Attributes[floor]":"3"}}`, true},
		{`{"NumericLessThan":{"iot:Connection.Thing.Attributes[floor]":"3"}}`, false},
		{`{"NumericLessThanEquals":{"iot:Connection.Thing.Attributes[floor]":"3"}}`, true},
		{`{"NumericGreaterThan":{"iot:Connection.Thing.Attributes[floor]":"2.5"}}`, true},
		{`{"NumericGreaterThanEquals":{"iot:Connection.Thing.Attributes[floor]":"4"}}`, false},
		{`{"NumericNotEquals":{"iot:Connection.Thing.Attributes[floor]":"4"}}`, true},
		{`{"NumericEquals":{"iot:ClientId":"3"}}`, false},
		{`{"ForAnyValue:StringEquals":{"iot:Certificate.Subject.Organization.List":"globex"}}`, true},
		{`{"ForAllValues:StringLike":{"iot:Certificate.Subject.Organization.List":["acme","glob*"]}}`, true},
		{`{"ForAllValues:StringEquals":{"iot:Certificate.Subject.Organization.List":"acme"}}`, false},
		{`{"ForAnyValue:StringEquals":{"iot:ConnectAttributes":"PersistentConnect"}}`, true},
		{`{"Null":{"iot:Connection.Thing.Attributes[missing]":"true"}}`, true},
		{`{"Null":{"iot:ClientId":"true"}}`, false},
		{`{"Null":{"iot:ClientId":"false"}}`, true},
		{`{"StringEqualsIgnoreCase":{"iot:ClientId":"DEV-7"}}`, true},
		{`{"StringNotEqualsIgnoreCase":{"iot:ClientId":"DEV-7"}}`, false},
		{`{"ArnLike":{"iot:ClientId":"dev-?"}}`, true},
		{`{"StringEquals":{"iot:ClientId":"${iot:Connection.Thing.ThingName}"}}`, true},
		{`{"StringEquals":{"iot:ClientId":"${iot:Unresolved}"}}`, false},
		{`{"StringNotEquals":{"iot:ClientId":"${iot:Unresolved}"}}`, true},
		{`{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, false},
		{`{"StringEquals":{"iot:ClientId":"dev-7"},"Bool":{"iot:Missing":"true"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			p := mustParse(t, "p", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"*","Condition":`+tt.cond+`}}`)
			require.Equal(t, tt.want, Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: "x", Context: ctx}).Allowed)
		})
	}
	_, err := Parse(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForSomeValues:StringEquals":{"k":"v"}}}}`)
	require.ErrorIs(t, err, ErrMalformed)
}

// Reference §1.1: the 2,048-character limit counts characters other than
// whitespace.
func TestSpecDocumentLimit(t *testing.T) {
	pad := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a'
		}
		return string(b)
	}
	base := `{"Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"x"}}`
	at := `{"Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"` + pad(2048-len(base)+1) + `"}}`
	_, err := Parse(at)
	require.NoError(t, err)
	_, err = Parse(at + "    \n\t") // whitespace does not count
	require.NoError(t, err)
	over := `{"Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"` + pad(2048-len(base)+2) + `"}}`
	_, err = Parse(over)
	require.ErrorIs(t, err, ErrMalformed)
}

// Reference §1.2: iot:RetainPublish is its own action; iot:Publish does
// not grant it, and iot:* does.
func TestSpecRetainPublishAction(t *testing.T) {
	pub := mustParse(t, "p", allow("iot:Publish", "*"))
	all := mustParse(t, "a", allow("iot:*", "*"))
	req := Request{Action: "iot:RetainPublish", Resource: arnPrefix + "topic/t"}
	require.False(t, Evaluate([]*Policy{pub}, req).Allowed)
	require.True(t, Evaluate([]*Policy{all}, req).Allowed)
}
