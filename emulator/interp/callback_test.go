package interp

import (
	"encoding/json"
	"errors"
	"testing"
	"unsafe"
)

// sampleMachine is the dispatch pattern's state machine.
const sampleMachine = `{
  "StartAt": "Dispatch",
  "States": {
    "Dispatch": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {
        "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:dispatch",
        "Payload": {"Input.$": "$", "TaskToken.$": "$$.Task.Token"}
      },
      "ResultPath": "$.lambdaOutput",
      "Retry": [{
        "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
        "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2
      }],
      "End": true
    }
  }
}`

const invokeResponse = `{"ExecutedVersion":"$LATEST","Payload":null,"SdkHttpMetadata":{"HttpStatusCode":200},"SdkResponseMetadata":{"RequestId":"r"},"StatusCode":200}`

// Reference §2.1 and §3.3 A: callback task succeeds.
func TestSampleMachineCallbackSuccess(t *testing.T) {
	h := newHarness(t, sampleMachine, `{"a":15,"b":42}`)
	inv := h.lastInvoke()
	if inv.Token != "token-1" || inv.Resource != "arn:aws:states:::lambda:invoke.waitForTaskToken" {
		t.Fatalf("invoke = %+v", inv)
	}
	wantParams := `{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:dispatch","Payload":{"Input":{"a":15,"b":42},"TaskToken":"token-1"}}`
	if string(inv.Parameters) != wantParams {
		t.Fatalf("parameters = %s", inv.Parameters)
	}
	if err := h.handle(TaskInvoked{TaskID: inv.TaskID, Output: json.RawMessage(invokeResponse)}); err != nil {
		t.Fatal(err)
	}
	if err := h.handle(CallbackSuccess{Token: "token-1", Output: `{"result":57}`}); err != nil {
		t.Fatal(err)
	}
	want := lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSubmitted p=4", "6 TaskSucceeded p=5", "7 TaskStateExited p=6", "8 ExecutionSucceeded p=7")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if got := string(h.last.Output); got != `{"a":15,"b":42,"lambdaOutput":{"result":57}}` {
		t.Fatalf("output = %s", got)
	}
	if got := h.details(3); got != `{"resourceType":"lambda","resource":"invoke.waitForTaskToken","region":"us-east-1","parameters":`+quote(wantParams)+`}` {
		t.Fatalf("scheduled details = %s", got)
	}
	if h.last.Status != StatusSucceeded || !h.last.Done {
		t.Fatalf("status = %s", h.last.Status)
	}
	if err := h.handle(CallbackSuccess{Token: "token-1", Output: `{}`}); !errors.Is(err, ErrTokenClosed) {
		t.Fatalf("late callback err = %v", err)
	}
	if len(h.closed) != 1 || h.closed[0] != "token-1" {
		t.Fatalf("closed tokens = %v", h.closed)
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// A waiting task's token is the copy inside its TaskScheduled parameters,
// which the history keeps anyway, not a second one.
func TestWaitingTokenSharesScheduledParameters(t *testing.T) {
	h := newHarness(t, sampleMachine, `{"a":15,"b":42}`)
	d, ok := h.events[2].Details.(*TaskScheduledDetails)
	if !ok {
		t.Fatalf("event 3 details = %T", h.events[2].Details)
	}
	run := h.m.byToken("token-1")
	if run == nil {
		t.Fatal("no task holds token-1")
	}
	params, token := unsafe.StringData(d.Parameters), unsafe.StringData(run.token)
	if uintptr(unsafe.Pointer(token)) < uintptr(unsafe.Pointer(params)) ||
		uintptr(unsafe.Pointer(token)) >= uintptr(unsafe.Pointer(params))+uintptr(len(d.Parameters)) {
		t.Fatalf("token %q is a copy of its own, not part of the parameters %s", run.token, d.Parameters)
	}
}
