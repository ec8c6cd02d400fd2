package sfnemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

const invokeDefinition = `{"StartAt":"Add","States":{"Add":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
	`"Parameters":{"FunctionName":"add","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}}`

// Integrations: lambda:invoke passes Payload as the event and returns the
// Invoke response; a legacy function ARN returns the payload itself.
func TestLambdaInvokeResult(t *testing.T) {
	tests := []struct {
		name, definition, function string
	}{
		{"lambda:invoke", invokeDefinition, "add"},
		{"legacy function arn", `{"StartAt":"Add","States":{"Add":{"Type":"Task",` +
			`"Resource":"arn:aws:lambda:us-east-1:123456789012:function:add","End":true}}}`,
			"arn:aws:lambda:us-east-1:123456789012:function:add"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			var gotFunction string
			h.invoke = func(_ context.Context, function string, payload []byte) (InvokeResult, error) {
				gotFunction = function
				var in struct{ A, B int }
				if err := json.Unmarshal(payload, &in); err != nil {
					return InvokeResult{}, err
				}
				out, _ := json.Marshal(map[string]int{"sum": in.A + in.B})
				return InvokeResult{Payload: out}, nil
			}
			arn := h.start(h.createMachine("Adder", tt.definition), `{"A":15,"B":42}`)
			out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
			require.JSONEq(t, `{"sum":57}`, aws.ToString(out.Output))
			require.Equal(t, tt.function, gotFunction)
		})
	}
}

// Reference §1.8: a function error fails the task with the payload's
// errorType and the payload as cause; a missing function is
// Lambda.ResourceNotFoundException (conformance test_no_such_function);
// any other failed call is Lambda.ServiceException; an unknown resource
// fails loudly.
func TestLambdaFailures(t *testing.T) {
	errPayload := `{"errorMessage":"Some exception was raised.","errorType":"Exception"}`
	tests := []struct {
		name, definition, error, cause string
		invoke                         func(context.Context, string, []byte) (InvokeResult, error)
	}{
		{"function error", invokeDefinition, "Exception", errPayload,
			func(context.Context, string, []byte) (InvokeResult, error) {
				return InvokeResult{Payload: []byte(errPayload), FunctionError: "Unhandled"}, nil
			}},
		{"function not found", invokeDefinition, "Lambda.ResourceNotFoundException",
			"Function not found: arn:aws:lambda:us-east-1:123456789012:function:add (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ",
			func(context.Context, string, []byte) (InvokeResult, error) {
				return InvokeResult{}, fmt.Errorf("invoke add: %w", ErrFunctionNotFound)
			}},
		{"invoke failed", invokeDefinition, "Lambda.ServiceException",
			"lambda is overloaded (Service: AWSLambda; Status Code: 500; Error Code: ServiceException; Request ID: ",
			func(context.Context, string, []byte) (InvokeResult, error) {
				return InvokeResult{}, errors.New("lambda is overloaded")
			}},
		{"unsupported resource", `{"StartAt":"Q","States":{"Q":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",` +
			`"Parameters":{"QueueUrl":"q","MessageBody":"m"},"End":true}}}`, "States.Runtime",
			"stepwire cannot run the resource 'arn:aws:states:::sqs:sendMessage' of state 'Q'", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.invoke = tt.invoke
			arn := h.start(h.createMachine("Adder", tt.definition), `{}`)
			out := h.waitStatus(arn, types.ExecutionStatusFailed)
			require.Equal(t, tt.error, aws.ToString(out.Error))
			require.True(t, strings.HasPrefix(aws.ToString(out.Cause), tt.cause), "cause %q", aws.ToString(out.Cause))
		})
	}
}

// Close cancels integrations in flight and waits for them.
func TestCloseCancelsInvocations(t *testing.T) {
	h := newHarness(t)
	entered, returned := make(chan struct{}), make(chan struct{})
	h.invoke = func(ctx context.Context, _ string, _ []byte) (InvokeResult, error) {
		close(entered)
		<-ctx.Done()
		close(returned)
		return InvokeResult{}, ctx.Err()
	}
	arn := h.start(h.createMachine("Adder", invokeDefinition), `{}`)
	<-entered
	h.svc.Close()
	select {
	case <-returned:
	default:
		t.Fatal("Close returned before the invocation did")
	}
	out := h.waitStatus(arn, types.ExecutionStatusRunning)
	require.Nil(t, out.StopDate, "an execution cut short by Close stays RUNNING")
}

// lambda:invoke with InvocationType Event does not wait for the function:
// the state gets a 202 response with an empty payload.
func TestLambdaInvokeEvent(t *testing.T) {
	h := newHarness(t)
	release := make(chan struct{})
	invoked := make(chan string, 1)
	h.invoke = func(ctx context.Context, function string, payload []byte) (InvokeResult, error) {
		invoked <- string(payload)
		select {
		case <-release:
		case <-ctx.Done():
		}
		return InvokeResult{Payload: []byte(`{"ignored":true}`)}, nil
	}
	def := `{"StartAt":"Fire","States":{"Fire":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
		`"Parameters":{"FunctionName":"notify","InvocationType":"Event","Payload":{"n.$":"$.n"}},` +
		`"ResultSelector":{"StatusCode.$":"$.StatusCode","Payload.$":"$.Payload"},"End":true}}}`
	arn := h.start(h.createMachine("Notify", def), `{"n":3}`)
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"StatusCode":202,"Payload":""}`, aws.ToString(out.Output))
	require.JSONEq(t, `{"n":3}`, <-invoked)
	close(release)
}
