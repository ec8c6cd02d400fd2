package asl

import "testing"

// Problems of one state's own fields: Task, Wait and Fail settings,
// paths, Parameters-style templates and intrinsic calls, Assign.
func TestStateFieldProblems(t *testing.T) {
	task := func(fields string) string {
		return oneState(`{"Type":"Task","Resource":` + lambdaARN + `,` + fields + `,"End":true}`)
	}
	params := func(template string) string {
		return oneState(`{"Type":"Pass","Parameters":` + template + `,"End":true}`)
	}
	const mustBeCall = "SCHEMA_VALIDATION_FAILED: The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call at /States/S/Parameters"
	checkProblems(t, []problemCase{
		{"Task without Resource", oneState(`{"Type":"Task","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/S"}},
		{"Resource not a string", oneState(`{"Type":"Task","Resource":5,"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/S"}},
		{"TimeoutSeconds zero", task(`"TimeoutSeconds":0`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'TimeoutSeconds' must be an integer between 1 and 99999999 at /States/S/TimeoutSeconds"}},
		{"TimeoutSeconds fractional", task(`"TimeoutSeconds":1.5`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'TimeoutSeconds' must be an integer between 1 and 99999999 at /States/S/TimeoutSeconds"}},
		{"TimeoutSeconds over the limit", task(`"TimeoutSeconds":100000000`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'TimeoutSeconds' must be an integer between 1 and 99999999 at /States/S/TimeoutSeconds"}},
		{"HeartbeatSeconds equal to TimeoutSeconds", task(`"TimeoutSeconds":10,"HeartbeatSeconds":10`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'HeartbeatSeconds' must be smaller than the field 'TimeoutSeconds' at /States/S/HeartbeatSeconds"}},
		{"TimeoutSeconds and TimeoutSecondsPath", task(`"TimeoutSeconds":10,"TimeoutSecondsPath":"$.t"`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'TimeoutSeconds' or 'TimeoutSecondsPath' can be set at /States/S"}},
		{"HeartbeatSeconds and HeartbeatSecondsPath", task(`"HeartbeatSeconds":10,"HeartbeatSecondsPath":"$.h"`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'HeartbeatSeconds' or 'HeartbeatSecondsPath' can be set at /States/S"}},
		{"TimeoutSecondsPath not a reference path", task(`"TimeoutSecondsPath":"$.a[*]"`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'TimeoutSecondsPath' must be a valid Reference Path at /States/S/TimeoutSecondsPath"}},
		{"Credentials not an object", task(`"Credentials":"r"`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at /States/S/Credentials"}},
		{"Express Activity task", oneState(`{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:a","End":true}`), TypeExpress, []string{
			"SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity ARN at /States/S/Resource"}},
		{"InputPath not a path", oneState(`{"Type":"Pass","InputPath":"a.b","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'InputPath' must be a valid JSONPath at /States/S/InputPath"}},
		{"OutputPath a number", oneState(`{"Type":"Pass","OutputPath":3,"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'OutputPath' must be a valid JSONPath at /States/S/OutputPath"}},
		{"ResultPath with a wildcard", oneState(`{"Type":"Pass","ResultPath":"$.a[*]","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid Reference Path at /States/S/ResultPath"}},
		{"ResultPath into the context object", oneState(`{"Type":"Pass","ResultPath":"$$.Execution","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid Reference Path at /States/S/ResultPath"}},
		{"Parameters not an object", params(`"x"`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'Parameters' should be an object at /States/S/Parameters"}},
		{"dynamic value neither path nor call", params(`{"a.$":"nope"}`), "", []string{mustBeCall}},
		{"dynamic value not a string", params(`{"a.$":5}`), "", []string{mustBeCall}},
		{"bad path in a nested template, reported at the field", params(`{"o":{"a.$":"$.["}}`), "", []string{mustBeCall}},
		{"bad ResultSelector value", oneState(`{"Type":"Task","Resource":` + lambdaARN + `,"ResultSelector":{"a.$":"x"},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call at /States/S/ResultSelector"}},
		{"unknown intrinsic", params(`{"a.$":"States.Nope(1)"}`), "", []string{mustBeCall}},
		{"unterminated intrinsic", params(`{"a.$":"States.Format('x'"}`), "", []string{mustBeCall}},
		{"intrinsic bare word argument", params(`{"a.$":"States.Array(abc)"}`), "", []string{mustBeCall}},
		{"text after an intrinsic", params(`{"a.$":"States.UUID() x"}`), "", []string{mustBeCall}},
		{"intrinsic bad path argument", params(`{"a.$":"States.Array($.[)"}`), "", []string{mustBeCall}},
		{"Wait without a wait", oneState(`{"Type":"Wait","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' must be set at /States/S"}},
		{"Wait with two waits", oneState(`{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' must be set at /States/S"}},
		{"negative Seconds also counts as no wait", oneState(`{"Type":"Wait","Seconds":-1,"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'Seconds' must be an integer between 0 and 99999999 at /States/S/Seconds",
			"SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' must be set at /States/S"}},
		{"bad SecondsPath also counts as no wait", oneState(`{"Type":"Wait","SecondsPath":"x","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'SecondsPath' must be a valid JSONPath at /States/S/SecondsPath",
			"SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' must be set at /States/S"}},
		{"Fail Error and ErrorPath", oneState(`{"Type":"Fail","Error":"E","ErrorPath":"$.e"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'Error' or 'ErrorPath' can be set at /States/S"}},
		{"Fail Cause and CausePath", oneState(`{"Type":"Fail","Cause":"C","CausePath":"$.c"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'Cause' or 'CausePath' can be set at /States/S"}},
		{"Fail CausePath neither path nor call", oneState(`{"Type":"Fail","CausePath":"c"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'CausePath' must be a valid JSONPath or a valid intrinsic function call at /States/S/CausePath"}},
		{"Assign not an object", oneState(`{"Type":"Pass","Assign":1,"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'Assign' should be an object at /States/S/Assign"}},
		{"Assign variable name with a dot", oneState(`{"Type":"Pass","Assign":{"a.b":1},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The variable name 'a.b' is invalid at /States/S/Assign"}},
		{"Assign to the reserved name states", oneState(`{"Type":"Pass","Assign":{"states":1},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The variable name 'states' is invalid at /States/S/Assign"}},
		{"Assign bad path", oneState(`{"Type":"Pass","Assign":{"a.$":"x"},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call at /States/S/Assign"}},
	})
}

// Choice states and their rules.
func TestChoiceProblems(t *testing.T) {
	rule := func(r string) string {
		return withDone(`{"Type":"Choice","Choices":[` + r + `]}`)
	}
	checkProblems(t, []problemCase{
		{"no Choices", oneState(`{"Type":"Choice"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at /States/S"}},
		{"empty Choices", oneState(`{"Type":"Choice","Choices":[]}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at /States/S"}},
		{"rule not an object", rule(`1`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The choice rule should be an object at /States/S/Choices/0"}},
		{"rule without a comparison operator", rule(`{"Variable":"$.a","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The choice rule must have a comparison operator at /States/S/Choices/0"}},
		{"rule with two comparison operators", rule(`{"Variable":"$.a","StringEquals":"x","NumericEqualsPath":"$.n","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'StringEquals' or 'NumericEqualsPath' can be set at /States/S/Choices/0"}},
		{"nested rule with three comparison operators", rule(`{"Not":{"Variable":"$.a","IsNull":true,"IsString":true,"StringMatches":"x*"},"Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'IsNull', 'IsString' or 'StringMatches' can be set at /States/S/Choices/0/Not"}},
		{"rule without Variable", rule(`{"StringEquals":"x","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Variable] at /States/S/Choices/0"}},
		{"rule without Next, also an empty target", rule(`{"Variable":"$.a","StringEquals":"x"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/S/Choices/0",
			"MISSING_TRANSITION_TARGET: Missing 'Next' target:  at /States/S/Choices/0/Next"}},
		{"numeric operator with a string", rule(`{"Variable":"$.a","NumericEquals":"1","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'NumericEquals' must be a number at /States/S/Choices/0/NumericEquals"}},
		{"timestamp operator with a non-timestamp", rule(`{"Variable":"$.a","TimestampEquals":"yesterday","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'TimestampEquals' must be a timestamp at /States/S/Choices/0/TimestampEquals"}},
		{"boolean operator with a string", rule(`{"Variable":"$.a","BooleanEquals":"true","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'BooleanEquals' must be a boolean at /States/S/Choices/0/BooleanEquals"}},
		{"Variable not a path", rule(`{"Variable":"a","IsNull":true,"Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'Variable' must be a valid JSONPath at /States/S/Choices/0/Variable"}},
		{"Path operand not a path", rule(`{"Variable":"$.a","StringEqualsPath":"b","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'StringEqualsPath' must be a valid JSONPath at /States/S/Choices/0/StringEqualsPath"}},
		{"empty And", rule(`{"And":[],"Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'And' must not be empty at /States/S/Choices/0/And"}},
		{"Or member without an operator", rule(`{"Or":[{"Variable":"$.a"}],"Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The choice rule must have a comparison operator at /States/S/Choices/0/Or/0"}},
		{"Not without an operator", rule(`{"Not":{"Variable":"$.a"},"Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The choice rule must have a comparison operator at /States/S/Choices/0/Not"}},
		{"rule Next names no state", withDone(`{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"X"}],"Default":"D"}`), "", []string{
			"MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/S/Choices/0/Next"}},
		{"Default names no state", withDone(`{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"D"}],"Default":"X"}`), "", []string{
			"MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/S/Default"}},
	})
}

// Retry and Catch of Task, Parallel and Map states.
func TestRetryCatchProblems(t *testing.T) {
	retry := func(retriers string) string {
		return oneState(`{"Type":"Task","Resource":` + lambdaARN + `,"Retry":[` + retriers + `],"End":true}`)
	}
	catch := func(catchers string) string {
		return `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":` + lambdaARN + `,"Catch":[` + catchers + `],"End":true},"F":{"Type":"Fail"}}}`
	}
	checkProblems(t, []problemCase{
		{"retrier not an object", retry(`1`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The retrier should be an object at /States/S/Retry/0"}},
		{"retrier without ErrorEquals", retry(`{}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [ErrorEquals] at /States/S/Retry/0"}},
		{"empty ErrorEquals", retry(`{"ErrorEquals":[]}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [ErrorEquals] at /States/S/Retry/0"}},
		{"negative MaxAttempts", retry(`{"ErrorEquals":["E"],"MaxAttempts":-1}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'MaxAttempts' must be an integer between 0 and 99999999 at /States/S/Retry/0/MaxAttempts"}},
		{"IntervalSeconds zero", retry(`{"ErrorEquals":["E"],"IntervalSeconds":0}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'IntervalSeconds' must be an integer between 1 and 99999999 at /States/S/Retry/0/IntervalSeconds"}},
		{"BackoffRate under 1", retry(`{"ErrorEquals":["E"],"BackoffRate":0.5}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'BackoffRate' must be at least 1.0 at /States/S/Retry/0/BackoffRate"}},
		{"BackoffRate a string", retry(`{"ErrorEquals":["E"],"BackoffRate":"2"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'BackoffRate' must be a number at /States/S/Retry/0/BackoffRate"}},
		{"MaxDelaySeconds zero", retry(`{"ErrorEquals":["E"],"MaxDelaySeconds":0}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'MaxDelaySeconds' must be an integer between 1 and 99999999 at /States/S/Retry/0/MaxDelaySeconds"}},
		{"unknown JitterStrategy", retry(`{"ErrorEquals":["E"],"JitterStrategy":"HALF"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'JitterStrategy' should have one of these values: [FULL, NONE] at /States/S/Retry/0/JitterStrategy"}},
		{"States.ALL beside other errors", retry(`{"ErrorEquals":["States.ALL","E"]}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: 'States.ALL' must appear alone in 'ErrorEquals' at /States/S/Retry/0/ErrorEquals"}},
		{"catcher not an object", catch(`"x"`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The catcher should be an object at /States/S/Catch/0",
		}},
		{"catcher without Next, also an empty target", catch(`{"ErrorEquals":["E"]}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/S/Catch/0",
			"MISSING_TRANSITION_TARGET: Missing 'Next' target:  at /States/S/Catch/0/Next"}},
		{"States.ALL in a catcher before the last", catch(`{"ErrorEquals":["States.ALL"],"Next":"F"},{"ErrorEquals":["E"],"Next":"F"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: 'States.ALL' must appear in the last catcher at /States/S/Catch/0/ErrorEquals"}},
		{"catcher Next names no state", catch(`{"ErrorEquals":["E"],"Next":"X"}`), "", []string{
			"MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/S/Catch/0/Next",
			`MISSING_TRANSITION_TARGET: State "F" is not reachable. at /States/F`}},
		{"catcher ResultPath with a wildcard", catch(`{"ErrorEquals":["E"],"Next":"F","ResultPath":"$.a[*]"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid Reference Path at /States/S/Catch/0/ResultPath"}},
	})
}

// Parallel branches and Map item processors, and the problems found
// inside them.
func TestParallelMapProblems(t *testing.T) {
	mapState := func(fields string) string {
		return oneState(`{"Type":"Map",` + fields + `,"End":true}`)
	}
	const processor = `"ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`
	checkProblems(t, []problemCase{
		{"Parallel without Branches", oneState(`{"Type":"Parallel","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Branches] at /States/S"}},
		{"branch not an object", oneState(`{"Type":"Parallel","Branches":[1],"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value should be an object at /States/S/Branches/0"}},
		{"branch without States", oneState(`{"Type":"Parallel","Branches":[{"StartAt":"A"}],"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /States/S/Branches/0"}},
		{"unknown Type inside a branch", oneState(`{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Bogus"}}}],"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/S/Branches/0/States/A/Type"}},
		{"unreachable state inside a branch", oneState(`{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}],"End":true}`), "", []string{
			`MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/S/Branches/0/States/B`}},
		{"branch StartAt names no state", oneState(`{"Type":"Parallel","Branches":[{"StartAt":"Z","States":{"A":{"Type":"Succeed"}}}],"End":true}`), "", []string{
			"MISSING_TRANSITION_TARGET: Missing 'Next' target: Z at /States/S/Branches/0/StartAt",
			`MISSING_TRANSITION_TARGET: State "A" is not reachable. at /States/S/Branches/0/States/A`}},
		{"Map without ItemProcessor", mapState(`"ItemsPath":"$"`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at /States/S"}},
		{"ItemProcessor and Iterator", mapState(processor + `,"Iterator":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'ItemProcessor' or 'Iterator' can be set at /States/S"}},
		{"unknown processor Mode", mapState(`"ItemProcessor":{"ProcessorConfig":{"Mode":"FAST"},"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED] at /States/S/ItemProcessor/ProcessorConfig/Mode"}},
		{"ProcessorConfig not an object", mapState(`"ItemProcessor":{"ProcessorConfig":1,"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'ProcessorConfig' should be an object at /States/S/ItemProcessor/ProcessorConfig"}},
		{"ItemSelector and Parameters", mapState(`"ItemSelector":{},"Parameters":{},` + processor), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'ItemSelector' or 'Parameters' can be set at /States/S"}},
		{"negative MaxConcurrency", mapState(`"MaxConcurrency":-1,` + processor), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'MaxConcurrency' must be an integer between 0 and 99999999 at /States/S/MaxConcurrency"}},
		{"MaxConcurrency and MaxConcurrencyPath", mapState(`"MaxConcurrency":1,"MaxConcurrencyPath":"$.m",` + processor), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'MaxConcurrency' or 'MaxConcurrencyPath' can be set at /States/S"}},
		{"ItemsPath not a path", mapState(`"ItemsPath":"items",` + processor), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'ItemsPath' must be a valid JSONPath at /States/S/ItemsPath"}},
		{"processor state without Next or End", mapState(`"ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass"}}}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Next or End] at /States/S/ItemProcessor/States/A"}},
		{"processor Next to a state outside it",
			`{"StartAt":"S","States":{"S":{"Type":"Map","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"T"}}},"Next":"T"},"T":{"Type":"Succeed"}}}`, "", []string{
				"MISSING_TRANSITION_TARGET: Missing 'Next' target: T at /States/S/ItemProcessor/States/A/Next",
				"MISSING_END_STATE: Workflow has no terminal state at null"}},
	})
}
