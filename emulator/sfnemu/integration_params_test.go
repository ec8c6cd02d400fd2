package sfnemu

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// docs/step-functions.md §4.6: the Parameters (or Arguments) of an
// optimized integration may name only the fields the integration takes and
// must name the ones it needs. CreateStateMachine and UpdateStateMachine
// refuse such a definition with InvalidDefinition; the text of an unknown
// field is AWS's ("SCHEMA_VALIDATION_FAILED: The field "key" is not
// supported by Step Functions at /States/Train Step/Parameters",
// aws/aws-step-functions-data-science-sdk-python#200).
// ValidateStateMachineDefinition reports each problem as a diagnostic.
func TestIntegrationParametersRefusedThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	bad := `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
		`"Parameters":{"FunctionName":"f","Foo":1},"End":true}}}`
	_, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("BadParams"),
		Definition: aws.String(bad), RoleArn: aws.String(roleArn)})
	requireAPIError(t, err, "InvalidDefinition",
		`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field "Foo" is not supported by Step Functions at /States/Call/Parameters'`)

	sm := h.createMachine("GoodParams", sampleDefinition)
	_, err = h.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm), Definition: aws.String(bad)})
	requireAPIError(t, err, "InvalidDefinition",
		`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field "Foo" is not supported by Step Functions at /States/Call/Parameters'`)

	// JSONata: an unknown field (and a missing required one, which AWS's
	// single problem per state leaves unsaid).
	jsonata := `{"QueryLanguage":"JSONata","StartAt":"Send","States":{"Send":{"Type":"Task",` +
		`"Resource":"arn:aws:states:::sqs:sendMessage","Arguments":{"QueueUrl":"q","Body":"{% $states.input %}"},"End":true}}}`
	out, err := h.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(jsonata)})
	require.NoError(t, err)
	require.Equal(t, types.ValidateStateMachineDefinitionResultCodeFail, out.Result)
	require.Len(t, out.Diagnostics, 1)
	d := out.Diagnostics[0]
	require.Equal(t, types.ValidateStateMachineDefinitionSeverityError, d.Severity)
	require.Equal(t, "SCHEMA_VALIDATION_FAILED", aws.ToString(d.Code))
	require.Equal(t, `The field "Body" is not supported by Step Functions`, aws.ToString(d.Message))
	require.Equal(t, "/States/Send/Arguments", aws.ToString(d.Location))

	// A missing required field alone.
	missing := `{"QueryLanguage":"JSONata","StartAt":"Send","States":{"Send":{"Type":"Task",` +
		`"Resource":"arn:aws:states:::sqs:sendMessage","Arguments":{"QueueUrl":"q"},"End":true}}}`
	out, err = h.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(missing)})
	require.NoError(t, err)
	require.Len(t, out.Diagnostics, 1)
	require.Equal(t, "The field 'MessageBody' is required but was missing", aws.ToString(out.Diagnostics[0].Message))
	require.Equal(t, "/States/Send/Arguments", aws.ToString(out.Diagnostics[0].Location))

	// The same machine with the fields SendMessage takes is OK.
	good := `{"QueryLanguage":"JSONata","StartAt":"Send","States":{"Send":{"Type":"Task",` +
		`"Resource":"arn:aws:states:::sqs:sendMessage","Arguments":{"QueueUrl":"q","MessageBody":"{% $states.input %}"},"End":true}}}`
	out, err = h.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(good)})
	require.NoError(t, err)
	require.Equal(t, types.ValidateStateMachineDefinitionResultCodeOk, out.Result)
	require.Empty(t, out.Diagnostics)
}
