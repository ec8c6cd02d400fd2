package sfnapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// Reference §4.1: members of the wrong JSON type get the request
// deserializer's SerializationException (texts as AWS's awsJson services
// word them), never a 500; null members are absent; decimals are truncated.
func TestDeserializationErrors(t *testing.T) {
	h := newHarness(t)
	tests := []struct{ op, body, typ, message string }{
		{"DescribeStateMachine", `{"stateMachineArn":5}`, "SerializationException", "NUMBER_VALUE can not be converted to a String"},
		{"DescribeStateMachine", `{"stateMachineArn":true}`, "SerializationException", "TRUE_VALUE can not be converted to a String"},
		{"DescribeStateMachine", `{"stateMachineArn":{"a":1}}`, "SerializationException", "Start of structure or map found where not expected."},
		{"DescribeStateMachine", `{"stateMachineArn":["a"]}`, "SerializationException", "Start of list found where not expected."},
		{"ListStateMachines", `{"maxResults":"10"}`, "SerializationException", "STRING_VALUE can not be converted to an Integer"},
		{"ListStateMachines", `{"maxResults":false}`, "SerializationException", "FALSE_VALUE can not be converted to an Integer"},
		{"GetExecutionHistory", `{"executionArn":"x","reverseOrder":"yes"}`, "SerializationException", "STRING_VALUE can not be converted to a Boolean"},
		{"CreateActivity", `{"name":"a","tags":"x"}`, "SerializationException", "Expected list or null"},
		{"CreateActivity", `{"name":"a","tags":[{"key":1}]}`, "SerializationException", "NUMBER_VALUE can not be converted to a String"},
		{"CreateStateMachine", `{"loggingConfiguration":3}`, "SerializationException", "Expected null"},
		{"CreateActivity", `{"name":`, "SerializationException", "Malformed request body: not a JSON document"},
		{"CreateActivity", `[]`, "SerializationException", "Start of list found where not expected."},
		{"CreateActivity", `{"name":null}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"ListStateMachines", `{"maxResults":1001.5}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"UpdateStateMachine", `{}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"},
		{"CreateStateMachine", `{}`, "com.amazon.coral.validate#ValidationException",
			"3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'definition' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'roleArn' failed to satisfy constraint: Member must not be null"},
		{"GetActivityTask", `{"activityArn":"arn:aws:states:us-east-1:123456789012:activity:a","workerName":""}`,
			"com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value '' at 'workerName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"ValidateStateMachineDefinition", `{}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null"},
		{"PublishStateMachineVersion", `{}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"},
		{"RedriveExecution", `{}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null"},
		{"RedriveExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:e","clientToken":""}`,
			"com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value '' at 'clientToken' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.body, func(t *testing.T) {
			typ, msg := h.raw(tt.op, tt.body)
			require.Equal(t, tt.typ, typ)
			require.Equal(t, tt.message, msg)
		})
	}
	status, _ := h.rawBody("ListStateMachines", `{"maxResults":1.5,"unknownMember":{"x":[1]}}`)
	require.Equal(t, http.StatusOK, status, "decimals are truncated and unknown members ignored")
}

// Conformance definition_validation: an invalid definition is a 200 with
// result FAIL and diagnostics, never an error.
func TestValidateStateMachineDefinition(t *testing.T) {
	h := newHarness(t)
	tests := []struct{ name, body, want string }{
		{"EMPTY_DICT", `{"definition":"{}","type":"STANDARD"}`,
			`{"diagnostics":[{"code":"SCHEMA_VALIDATION_FAILED","location":"/","message":"These fields are required: [States, StartAt]","severity":"ERROR"}],"result":"FAIL","truncated":false}`},
		{"EMPTY_STRING", `{"definition":" ","type":"STANDARD"}`,
			`{"diagnostics":[{"code":"SCHEMA_VALIDATION_FAILED","message":"Definition must be a valid JSON object","severity":"ERROR"}],"result":"FAIL","truncated":false}`},
		{"NOT_A_DEF", `{"definition":"not a definition","type":"STANDARD"}`,
			`{"diagnostics":[{"code":"INVALID_JSON_DESCRIPTION","location":"[Source: (String)\"not a definition\"; line: 1, column: 4]","message":"Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]","severity":"ERROR"}],"result":"FAIL","truncated":false}`},
		{"ILLEGAL_WFTT", `{"definition":"{\"StartAt\": \"SendMessageWithWait\", \"States\": {\"SendMessageWithWait\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"Parameters\": {\"QueueUrl.$\": \"$.QueueUrl\", \"MessageBody\": {\"Message.$\": \"$.Message\", \"TaskToken.$\": \"$$.Task.Token\"}}, \"End\": true}}}","type":"EXPRESS"}`,
			`{"diagnostics":[{"code":"SCHEMA_VALIDATION_FAILED","location":"/States/SendMessageWithWait/Resource","message":"Express state machine does not support '.waitForTaskToken' service integration ","severity":"ERROR"}],"result":"FAIL","truncated":false}`},
		{"INVALID_BASE_NO_STARTAT", `{"definition":"{\"States\": {\"StartState\": {\"Type\": \"Pass\", \"End\": true}}}","type":"EXPRESS"}`,
			`{"diagnostics":[{"code":"SCHEMA_VALIDATION_FAILED","location":"/","message":"These fields are required: [StartAt]","severity":"ERROR"}],"result":"FAIL","truncated":false}`},
		{"VALID_BASE_PASS", `{"definition":"{\"StartAt\": \"StartState\", \"States\": {\"StartState\": {\"Type\": \"Pass\", \"End\": true}}}","type":"STANDARD"}`,
			`{"diagnostics":[],"result":"OK","truncated":false}`},
		{"bad type", `{"definition":"{}","type":"FAST"}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := h.rawBody("ValidateStateMachineDefinition", tt.body)
			require.JSONEq(t, tt.want, body)
		})
	}

	// Through the SDK, with maxResults truncating the diagnostics.
	out, err := h.client.ValidateStateMachineDefinition(context.Background(), &sfn.ValidateStateMachineDefinitionInput{
		Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Nope"},"B":{"Type":"Nope"}}}`), MaxResults: 1})
	require.NoError(t, err)
	require.Equal(t, types.ValidateStateMachineDefinitionResultCodeFail, out.Result)
	require.Len(t, out.Diagnostics, 1)
	require.True(t, aws.ToBool(out.Truncated))
}

// Tags on state machines and activities.
func TestTags(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	created, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Tagged"),
		Definition: aws.String(passDefinition), RoleArn: aws.String(roleArn),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("jobs")}}})
	require.NoError(t, err)
	sm := aws.ToString(created.StateMachineArn)
	act := h.createActivity("jobs")
	list := func(arn string) map[string]string {
		out, err := h.client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		require.NoError(t, err)
		m := map[string]string{}
		for _, tg := range out.Tags {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m
	}
	require.Equal(t, map[string]string{"team": "jobs"}, list(sm))
	for _, arn := range []string{sm, act} {
		_, err = h.client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(arn),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}, {Key: aws.String("env"), Value: aws.String("ci")}}})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"team": "ops", "env": "ci"}, list(arn))
		_, err = h.client.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"env": "ci"}, list(arn))
	}
	missing := "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
	_, err = h.client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(missing)})
	requireAPIError(t, err, "ResourceNotFound", "Resource not found: '"+missing+"'")
	many := make([]types.Tag, 51)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(strings.Repeat("k", i+1)), Value: aws.String("v")}
	}
	_, err = h.client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(sm), Tags: many})
	requireAPIError(t, err, "TooManyTags", "Too many tags: "+sm)
}
