package interp

import (
	"testing"
)

// docs/step-functions.md §4.6.1: a key ending in .$ names its field only
// once evaluated, so the definition is created; when the task starts, a
// field the integration does not take fails the execution with
// States.Runtime, which no Catch handles (AWS failed a
// lambda:invoke.waitForTaskToken with "TaskToken.$" beside Payload so;
// the cause's form is AWS's for a request it cannot start the task with).
func TestUnknownRequestFieldFailsAtStart(t *testing.T) {
	tests := []struct{ name, params, input, cause string }{
		{"top level", `{"FunctionName":"f","Payload.$":"$","TaskToken.$":"$$.Task.Token"}`, `{}`,
			`The Parameters '{"FunctionName":"f","Payload":{},"TaskToken":"token-1"}' could not be used to start the Task: ` +
				`[The field "TaskToken" is not supported by Step Functions]`},
		{"known fields from paths", `{"FunctionName":"f","ClientContext.$":"$.c","Payload":{"free.$":"$"}}`, `{"c":"x"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
			 "Parameters":` + tt.params + `,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}`
			h := newHarness(t, def, tt.input)
			if tt.cause == "" {
				if len(h.invokes) != 1 {
					t.Fatalf("invokes %v, status %s, cause %s", h.invokes, h.last.Status, h.last.Cause)
				}
				return
			}
			want := "An error occurred while executing the state 'T' (entered at the event id #2). " + tt.cause
			if h.last.Status != StatusFailed || h.last.Error != "States.Runtime" || h.last.Cause != want || len(h.invokes) != 0 {
				t.Fatalf("status %s, error %s, invokes %d, cause\n%s\nwant\n%s", h.last.Status, h.last.Error, len(h.invokes), h.last.Cause, want)
			}
			if got, want := h.transcript(), lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 ExecutionFailed p=2"); got != want {
				t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// A nested structure filled from a path is checked too: ECS's Overrides
// hold ContainerOverrides, not Containers.
func TestUnknownNestedRequestFieldFailsAtStart(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync",
	 "Parameters":{"TaskDefinition":"d","Overrides.$":"$.o"},"End":true}}}`
	h := newHarness(t, def, `{"o":{"Containers":[]}}`)
	want := "An error occurred while executing the state 'T' (entered at the event id #2). " +
		`The Parameters '{"TaskDefinition":"d","Overrides":{"Containers":[]}}' could not be used to start the Task: ` +
		`[The field "Containers" is not supported by Step Functions]`
	if h.last.Status != StatusFailed || h.last.Cause != want {
		t.Fatalf("status %s, cause\n%s\nwant\n%s", h.last.Status, h.last.Cause, want)
	}
}
