package iotemu

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"
)

// Reference §4.2 [Doc stepfunctions-rule-action]: the stepFunctions action
// starts an execution named prefix + UUID with the SELECT result as input.
func TestSpecStepFunctionsAction(t *testing.T) {
	s, _, started := startServiceWithExecutions(t)
	require.NoError(t, s.CreateTopicRule("Start", TopicRule{AWSIotSQLVersion: "2016-03-23",
		SQL:     "SELECT *, topic(1) AS tenant FROM '+/requests'",
		Actions: []Action{{StepFunctions: &StepFunctionsAction{StateMachineName: "Machine", ExecutionNamePrefix: "${topic(1)}-"}}}}))
	require.NoError(t, s.Publish(context.Background(), "tenant1/requests", []byte(`{"a":1}`), 1))
	ex := <-started
	require.Equal(t, "Machine", ex.machine)
	require.True(t, strings.HasPrefix(ex.name, "tenant1-"), ex.name)
	require.Len(t, ex.name, len("tenant1-")+36)
	require.JSONEq(t, `{"a":1,"tenant":"tenant1"}`, ex.input)
}

// Reference §4.2: republish sends the SELECT result to a templated topic,
// and a rule does not fire on its own republished messages.
func TestSpecRepublishAction(t *testing.T) {
	s, _ := startService(t)
	mc := mustDial(t, s, setupThing(t, s, "dev", ""), "dev")
	require.Equal(t, byte(1), subscribe(t, mc, "out/#"))
	require.NoError(t, s.CreateTopicRule("Echo", TopicRule{SQL: "SELECT a * 2 AS doubled FROM 'out/#'",
		Actions: []Action{{Republish: &RepublishAction{Topic: "out/${topic(2)}/doubled", Qos: 1}}}}))
	_, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "out/x", QoS: 1, Payload: []byte(`{"a":21}`)})
	require.NoError(t, err)
	require.Equal(t, "out/x", receive(t, mc).Topic)
	got := receive(t, mc)
	require.Equal(t, "out/x/doubled", got.Topic)
	require.JSONEq(t, `{"doubled":42}`, string(got.Payload))
	require.NoError(t, s.Publish(context.Background(), "out/y", []byte(`{"a":1}`), 1))
	require.Equal(t, "out/y", receive(t, mc).Topic, "the republished message did not fire the rule again")
}

// Reference §4.2 [Doc rule-error-handling], §4.3: a failing action (a
// Lambda that errors; a non-JSON result for Lambda) runs the errorAction
// once with IoT Core's error payload.
func TestSpecErrorAction(t *testing.T) {
	s, invoked := startService(t)
	require.NoError(t, s.CreateTopicRule("Complete", TopicRule{SQL: "SELECT * FROM 'tenant1/to/lambda'",
		Actions:     []Action{{LambdaFunctionArn: "failing"}, {LambdaFunctionArn: "complete"}},
		ErrorAction: &Action{LambdaFunctionArn: "errors"}}))
	worker := mustDial(t, s, setupThing(t, s, "w", ""), "w")
	_, err := worker.Publish(ctxT(t), &paho.Publish{Topic: "tenant1/to/lambda", QoS: 1, Payload: []byte("not json")})
	require.NoError(t, err)
	inv := <-invoked
	require.Equal(t, "errors", inv.function)
	var ev struct {
		RuleName, Topic, ClientID, Base64OriginalPayload string
		Failures                                         []struct{ FailedAction, FailedResource, ErrorMessage string }
	}
	require.NoError(t, json.Unmarshal(inv.payload, &ev))
	require.Equal(t, "Complete", ev.RuleName)
	require.Equal(t, "tenant1/to/lambda", ev.Topic)
	require.Equal(t, "w", ev.ClientID)
	require.Equal(t, base64.StdEncoding.EncodeToString([]byte("not json")), ev.Base64OriginalPayload)
	require.Len(t, ev.Failures, 2)
	require.Equal(t, "LambdaAction", ev.Failures[0].FailedAction)
	require.Equal(t, "complete", ev.Failures[1].FailedResource)
}
