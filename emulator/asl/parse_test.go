package asl

import (
	"errors"
	"testing"
)

// Texts from docs/step-functions.md §4.3 and the api_errors / definition_validation
// conformance cases.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name, def, typ, want string
	}{
		{"missing States", `{"Comment":"BASE_INVALID_DER","StartAt":"State_1"}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'`},
		{"empty object", `{}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /'`},
		{"express callback", `{"StartAt":"Publish","States":{"Publish":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}}`, TypeExpress,
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/Publish/Resource'`},
		{"express sync", `{"StartAt":"StartExecution","States":{"StartExecution":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","End":true}}}`, TypeExpress,
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/StartExecution/Resource'`},
		{"bad timestamp", `{"StartAt":"WaitUntil","States":{"WaitUntil":{"Type":"Wait","Timestamp":"2016-03-14 01:59:00","End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/WaitUntil/Timestamp'`},
		{"credentials", `{"StartAt":"State0","States":{"State0":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","Credentials":{},"End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at /States/State0/Credentials'`},
		{"bad intrinsic", `{"StartAt":"IntrinsicEscape","States":{"IntrinsicEscape":{"Type":"Pass","Parameters":{"parsed.$":"States.StringToJson('{\"a\":\"\\\"q\\\"\"}')"},"End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call at /States/IntrinsicEscape/Parameters'`},
		{"unknown type", `{"StartAt":"A","States":{"A":{"Type":"Nope","End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/A/Type'`},
		{"missing target and collected", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"C":{"Type":"Pass"}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [Next or End] at /States/C, MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next'`},
		{"unreachable (localstack#11978, AWS text)", `{"StartAt":"pass1","States":{"pass1":{"Type":"Pass","Next":"pass3"},"pass2":{"Type":"Pass","End":true}}}`, "",
			`Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2'`},
		{"no terminal state (floci#2735)", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`, "",
			`Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'`},
		{"field not supported (floci#2735)", `{"StartAt":"M","States":{"M":{"Type":"Map","TimeoutSeconds":3,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'TimeoutSeconds' is not supported at /States/M'`},
		{"duplicate across branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}],"End":true}}}`, "",
			`Invalid State Machine Definition: 'DUPLICATE_STATE_NAME: Duplicate State name: X at /States/P/Branches/1/States/X'`},
		{"States.ALL not last", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],"End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: 'States.ALL' must appear in the last retrier at /States/T/Retry/0/ErrorEquals'`},
		{"distributed map without ExecutionType", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [ExecutionType] at /States/M/ItemProcessor/ProcessorConfig'`},
		{"next outside the branch", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Done"}}}],"Next":"Done"},"Done":{"Type":"Succeed"}}}`, "",
			`Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Done at /States/P/Branches/0/States/X/Next, MISSING_END_STATE: Workflow has no terminal state at null'`},
		{"jsonata downgrade (AWS-recorded INVALID_DOWNGRADE)", `{"StartAt":"Pass","QueryLanguage":"JSONata","States":{"Pass":{"Type":"Pass","End":true,"QueryLanguage":"JSONPath"}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/Pass'`},
		{"jsonpath-only field in a JSONata state", `{"StartAt":"P","QueryLanguage":"JSONata","States":{"P":{"Type":"Pass","InputPath":"$.x","End":true}}}`, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'InputPath' is not supported at /States/P'`},
		{"not an object", ` `, "",
			`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.def), Options{Type: tt.typ})
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want DefinitionError", err)
			}
			if err.Error() != tt.want {
				t.Fatalf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

// ValidateStateMachineDefinition NOT_A_DEF case: Jackson's wording and
// source location.
func TestParseInvalidJSON(t *testing.T) {
	_, err := Parse([]byte("not a definition"), Options{})
	var de *DefinitionError
	if !errors.As(err, &de) || len(de.Problems) != 1 {
		t.Fatalf("err = %v", err)
	}
	p := de.Problems[0]
	wantLoc := `[Source: (String)"not a definition"; line: 1, column: 4]`
	wantMsg := "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at " + wantLoc
	if p.Code != CodeInvalidJSON || p.Location != wantLoc || p.Message != wantMsg {
		t.Fatalf("problem = %#v", p)
	}
}

func TestParseDefaults(t *testing.T) {
	def, err := Parse([]byte(`{"StartAt":"T","TimeoutSeconds":30,"States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"InputPath":null,"ResultPath":null,"Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	task := def.States["T"].(*Task)
	r := task.Retry[0]
	if r.IntervalSeconds != 1 || r.MaxAttempts != 3 || r.BackoffRate != 2.0 || r.JitterStrategy != "NONE" {
		t.Fatalf("retrier defaults = %+v", r)
	}
	if !task.InputPath.Null || !task.ResultPath.Null || task.OutputPath.Null || task.OutputPath.Path != nil {
		t.Fatalf("null/absent paths wrong: %+v %+v %+v", task.InputPath, task.ResultPath, task.OutputPath)
	}
	if def.TimeoutSeconds != 30 || def.Type != TypeStandard {
		t.Fatalf("definition = %+v", def)
	}
}
