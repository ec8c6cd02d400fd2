package asl

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// The validation tables below test asl by itself, apart from the recorded
// conformance corpus: each row is a definition and every problem Parse
// reports for it, rendered as InvalidDefinition lists them (code, message,
// " at " and the JSON pointer of the place). The texts are the ones asl
// produces today; rows whose wording was recorded from AWS say so.

// problemCase is one invalid definition and the problems Parse reports, in
// order. typ is the state machine type (STANDARD when empty).
type problemCase struct {
	name, def, typ string
	want           []string
}

// checkProblems parses every row and compares the problem list exactly.
func checkProblems(t *testing.T, tests []problemCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.def), Options{Type: tt.typ})
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a DefinitionError with %q", err, tt.want)
			}
			got := make([]string, len(de.Problems))
			for i, p := range de.Problems {
				got[i] = p.String()
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("problems:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// lambdaARN is a Task resource every row may use.
const lambdaARN = `"arn:aws:lambda:us-east-1:123456789012:function:f"`

// oneState is a JSONPath machine whose only state, S, is state.
func oneState(state string) string {
	return `{"StartAt":"S","States":{"S":` + state + `}}`
}

// jsonataState is a JSONata machine whose only state, S, is state.
func jsonataState(state string) string {
	return `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":` + state + `}}`
}

// withDone is a JSONPath machine starting at S = state, with a Succeed
// state D that S (or its rules and catchers) can name.
func withDone(state string) string {
	return `{"StartAt":"S","States":{"S":` + state + `,"D":{"Type":"Succeed"}}}`
}

// longName is 81 characters, one more than a state name may have.
var longName = strings.Repeat("n", 81)

// Problems of the definition as a whole: its JSON, the top-level fields,
// state names and the graph of transitions.
func TestDefinitionProblems(t *testing.T) {
	checkProblems(t, []problemCase{
		{"truncated JSON", `{"StartAt":`, "", []string{
			"INVALID_JSON_DESCRIPTION: unexpected end of input\n at [Source: (String)\"{\\\"StartAt\\\":\"; line: 1, column: 12]"}},
		{"a JSON array", `[1,2]`, "", []string{
			"SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object"}},
		{"missing StartAt", `{"States":{}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /"}},
		{"StartAt not a string", `{"StartAt":1,"States":{"A":{"Type":"Succeed"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'StartAt' should be a string at /StartAt"}},
		{"States not an object", `{"StartAt":"A","States":[]}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'States' should be an object at /States"}},
		{"StartAt names no state", `{"StartAt":"B","States":{"A":{"Type":"Succeed"}}}`, "", []string{
			"MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /StartAt",
			`MISSING_TRANSITION_TARGET: State "A" is not reachable. at /States/A`}},
		{"unknown QueryLanguage", `{"QueryLanguage":"XPath","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata] at /QueryLanguage"}},
		{"machine TimeoutSeconds zero", `{"TimeoutSeconds":0,"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'TimeoutSeconds' must be an integer between 1 and 99999999 at /TimeoutSeconds"}},
		{"machine TimeoutSeconds a string", `{"TimeoutSeconds":"5","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'TimeoutSeconds' must be an integer between 1 and 99999999 at /TimeoutSeconds"}},
		{"state not an object", `{"StartAt":"A","States":{"A":1}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: The state should be an object at /States/A"}},
		{"state name over 80 characters", `{"StartAt":"` + longName + `","States":{"` + longName + `":{"Type":"Succeed"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: State name must be between 1 and 80 characters at /States/" + longName}},
		{"empty state name", `{"StartAt":"","States":{"":{"Type":"Succeed"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: State name must be between 1 and 80 characters at /States/"}},
		{"missing Type", oneState(`{"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/S"}},
		{"Type not a string", oneState(`{"Type":3,"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/S/Type"}},
		{"neither Next nor End", oneState(`{"Type":"Pass"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Next or End] at /States/S"}},
		{"End false counts as absent", oneState(`{"Type":"Pass","End":false}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Next or End] at /States/S"}},
		{"both Next and End", withDone(`{"Type":"Pass","Next":"D","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Only one of 'Next' or 'End' can be set at /States/S"}},
		{"Next not a string", oneState(`{"Type":"Pass","Next":5}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'Next' should be a string at /States/S/Next"}},
		{"state names escaped in pointers", `{"StartAt":"a/b~c","States":{"a/b~c":{"Type":"Pass"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Next or End] at /States/a~1b~0c"}},
		{"Next names no state, schema problems still listed first",
			`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Bogus"}}}`, "", []string{
				"SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/B/Type",
				"MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next"}},
		{"unreachable state", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}`, "", []string{
			`MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B`}},
		{"duplicate name in an item processor", `{"StartAt":"S","States":{"S":{"Type":"Map","ItemProcessor":{"StartAt":"S","States":{"S":{"Type":"Succeed"}}},"End":true}}}`, "", []string{
			"DUPLICATE_STATE_NAME: Duplicate State name: S at /States/S/ItemProcessor/States/S"}},
		{"several problems of one state, in field order",
			oneState(`{"Type":"Task","Resource":` + lambdaARN + `,"TimeoutSeconds":-1,"HeartbeatSeconds":"x","InputPath":"y","End":true}`), "", []string{
				"SCHEMA_VALIDATION_FAILED: The value for the field 'InputPath' must be a valid JSONPath at /States/S/InputPath",
				"SCHEMA_VALIDATION_FAILED: The value for the field 'TimeoutSeconds' must be an integer between 1 and 99999999 at /States/S/TimeoutSeconds",
				"SCHEMA_VALIDATION_FAILED: The value for the field 'HeartbeatSeconds' must be an integer between 1 and 99999999 at /States/S/HeartbeatSeconds"}},
	})
}

// Fields a state type does not take, in either query language.
func TestUnsupportedFieldProblems(t *testing.T) {
	checkProblems(t, []problemCase{
		{"Resource on a Pass", oneState(`{"Type":"Pass","Resource":"x","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'Resource' is not supported at /States/S"}},
		{"Next on a Succeed", withDone(`{"Type":"Succeed","Next":"D"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'Next' is not supported at /States/S"}},
		{"InputPath on a Fail", oneState(`{"Type":"Fail","InputPath":"$"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'InputPath' is not supported at /States/S"}},
		{"End on a Choice", oneState(`{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"S"}],"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'End' is not supported at /States/S"}},
		{"Retry on a Pass", oneState(`{"Type":"Pass","Retry":[],"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'Retry' is not supported at /States/S"}},
		{"JSONata Arguments in a JSONPath Task", oneState(`{"Type":"Task","Resource":` + lambdaARN + `,"Arguments":{},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'Arguments' is not supported at /States/S"}},
		{"JSONata Output in a JSONPath Pass", oneState(`{"Type":"Pass","Output":{},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'Output' is not supported at /States/S"}},
		{"JSONata Items in a JSONPath Map", oneState(`{"Type":"Map","Items":[1],"ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Succeed"}}},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'Items' is not supported at /States/S"}},
		{"JSONPath Parameters in a JSONata Pass", jsonataState(`{"Type":"Pass","Parameters":{},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'Parameters' is not supported at /States/S"}},
		{"JSONPath ResultPath in a JSONata Task", jsonataState(`{"Type":"Task","Resource":` + lambdaARN + `,"ResultPath":"$.r","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'ResultPath' is not supported at /States/S"}},
		{"JSONPath ItemsPath in a JSONata Map", jsonataState(`{"Type":"Map","ItemsPath":"$.a","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Succeed"}}},"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'ItemsPath' is not supported at /States/S"}},
		{"JSONPath ErrorPath in a JSONata Fail", jsonataState(`{"Type":"Fail","ErrorPath":"$.e"}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'ErrorPath' is not supported at /States/S"}},
		{"JSONPath SecondsPath in a JSONata Wait leaves it without a wait", jsonataState(`{"Type":"Wait","SecondsPath":"$.s","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Field 'SecondsPath' is not supported at /States/S",
			"SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds' or 'Timestamp' must be set at /States/S"}},
	})
}

// Query language problems and the JSONata expressions' definition-time
// checks.
func TestQueryLanguageProblems(t *testing.T) {
	checkProblems(t, []problemCase{
		{"unknown state QueryLanguage", oneState(`{"Type":"Pass","QueryLanguage":"SQL","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata] at /States/S/QueryLanguage"}},
		{"JSONPath state in a branch of a JSONata machine",
			jsonataState(`{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Succeed","QueryLanguage":"JSONPath"}}}],"End":true}`), "", []string{
				"SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/S/Branches/0/States/A"}},
		{"expression that does not parse", jsonataState(`{"Type":"Pass","Output":"{% 1 + %}","End":true}`), "", []string{
			"INVALID_JSONATA_EXPRESSION: The JSONata expression '1 +' is invalid: S0203: unexpected end of expression, position: 3 at /States/S/Output"}},
		{"bad expression deep in Arguments", jsonataState(`{"Type":"Task","Resource":` + lambdaARN + `,"Arguments":{"a":["{% ( %}"]},"End":true}`), "", []string{
			"INVALID_JSONATA_EXPRESSION: The JSONata expression '(' is invalid: S0203: unexpected end of expression, position: 1 at /States/S/Arguments/a/0"}},
		{"bad TimeoutSeconds expression", jsonataState(`{"Type":"Task","Resource":` + lambdaARN + `,"TimeoutSeconds":"{% ) %}","End":true}`), "", []string{
			"INVALID_JSONATA_EXPRESSION: The JSONata expression ')' is invalid: S0201: the symbol ')' cannot be used as a prefix operator, position: 0 at /States/S/TimeoutSeconds"}},
		{"top-level path", jsonataState(`{"Type":"Pass","Output":"{% foo %}","End":true}`), "", []string{
			"UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'foo' at the top level is not supported. at /States/S/Output"}},
		{"the root $$", jsonataState(`{"Type":"Pass","Output":"{% $$ %}","End":true}`), "", []string{
			"UNSUPPORTED_JSONATA_EXPRESSION: Reference to '$$' is not supported. at /States/S/Output"}},
		{"errorOutput outside a catcher", jsonataState(`{"Type":"Pass","Output":"{% $states.errorOutput %}","End":true}`), "", []string{
			"UNSUPPORTED_JSONATA_EXPRESSION: Field '$states.errorOutput' does not exist. at /States/S/Output"}},
		{"JSONata Wait without a wait", jsonataState(`{"Type":"Wait","End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds' or 'Timestamp' must be set at /States/S"}},
		{"JSONata Choice rule without Condition", `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Choice","Choices":[{"Next":"D"}]},"D":{"Type":"Succeed"}}}`, "", []string{
			"SCHEMA_VALIDATION_FAILED: These fields are required: [Condition] at /States/S/Choices/0"}},
		{"JSONata HeartbeatSeconds over TimeoutSeconds", jsonataState(`{"Type":"Task","Resource":` + lambdaARN + `,"TimeoutSeconds":5,"HeartbeatSeconds":6,"End":true}`), "", []string{
			"SCHEMA_VALIDATION_FAILED: The value for the field 'HeartbeatSeconds' must be smaller than the field 'TimeoutSeconds' at /States/S/HeartbeatSeconds"}},
	})
}

// Definitions that must parse without any problem.
func TestValidDefinitions(t *testing.T) {
	name80 := strings.Repeat("n", 80)
	tests := []struct{ name, def, typ string }{
		{"single Succeed", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, ""},
		{"Pass chain with every JSONPath field", `{"Comment":"c","TimeoutSeconds":60,"StartAt":"A","States":{
			"A":{"Type":"Pass","Comment":"x","InputPath":"$.in","Parameters":{"v.$":"$.v","lit":{"n":1},"f.$":"States.Format('{} items', $.n)"},"ResultPath":"$.out","OutputPath":"$","Next":"B"},
			"B":{"Type":"Pass","Result":{"a":1},"ResultPath":null,"InputPath":null,"End":true}}}`, ""},
		{"Task with timeouts, retry and catch", withDone(`{"Type":"Task","Resource":` + lambdaARN + `,
			"TimeoutSeconds":10,"HeartbeatSeconds":5,"ResultSelector":{"r.$":"$.Payload"},"ResultPath":"$.r",
			"Credentials":{"RoleArn.$":"$.role"},
			"Retry":[{"ErrorEquals":["E1","E2"],"IntervalSeconds":2,"MaxAttempts":0,"BackoffRate":1.0,"MaxDelaySeconds":30,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],
			"Catch":[{"ErrorEquals":["E1"],"Next":"D","ResultPath":"$.err"},{"ErrorEquals":["States.ALL"],"Next":"D"}],"End":true}`), ""},
		{"Task with timeout paths", oneState(`{"Type":"Task","Resource":` + lambdaARN + `,"TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$$.Execution.Input.h","End":true}`), ""},
		{"Wait in each form", `{"StartAt":"A","States":{
			"A":{"Type":"Wait","Seconds":0,"Next":"B"},
			"B":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","Next":"C"},
			"C":{"Type":"Wait","SecondsPath":"$.s","Next":"D"},
			"D":{"Type":"Wait","TimestampPath":"$.t","End":true}}}`, ""},
		{"Fail with paths and an intrinsic", oneState(`{"Type":"Fail","ErrorPath":"States.Format('E{}', $.n)","CausePath":"$.cause"}`), ""},
		{"Fail with literals", oneState(`{"Type":"Fail","Error":"E","Cause":"C"}`), ""},
		{"Choice with every kind of rule", withDone(`{"Type":"Choice","Default":"D","Choices":[
			{"Variable":"$.s","StringEquals":"x","Next":"D"},
			{"Variable":"$.s","StringMatches":"a*","Next":"D"},
			{"Variable":"$.n","NumericGreaterThanEqualsPath":"$.m","Next":"D"},
			{"Variable":"$.b","BooleanEquals":true,"Next":"D"},
			{"Variable":"$.t","TimestampLessThan":"2020-01-01T00:00:00Z","Next":"D"},
			{"Variable":"$.x","IsPresent":false,"Next":"D","Assign":{"seen":true}},
			{"And":[{"Variable":"$.a","IsNull":true},{"Or":[{"Variable":"$.b","IsString":true},{"Not":{"Variable":"$.c","NumericEquals":1}}]}],"Next":"D"}]}`), ""},
		{"Parallel with two branches", withDone(`{"Type":"Parallel","Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}},
			{"StartAt":"C","States":{"C":{"Type":"Fail","Error":"E"}}}],
			"ResultSelector":{"all.$":"$"},"Retry":[{"ErrorEquals":["E"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"D"}],"Next":"D"}`), ""},
		{"inline Map with ItemProcessor", oneState(`{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"v.$":"$$.Map.Item.Value"},"MaxConcurrency":2,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"End":true}`), ""},
		{"Map with the legacy Iterator and Parameters", oneState(`{"Type":"Map","Parameters":{"v.$":"$"},"MaxConcurrencyPath":"$.m",
			"Iterator":{"StartAt":"A","States":{"A":{"Type":"Succeed"}}},"End":true}`), ""},
		{"state name of 80 characters", `{"StartAt":"` + name80 + `","States":{"` + name80 + `":{"Type":"Succeed"}}}`, ""},
		{"JSONPath Assign", oneState(`{"Type":"Pass","Assign":{"x":1,"y.$":"$.y","z.$":"States.ArrayLength($.list)"},"End":true}`), ""},
		{"JSONata machine", `{"QueryLanguage":"JSONata","StartAt":"T","States":{
			"T":{"Type":"Task","Resource":` + lambdaARN + `,"Arguments":{"a":"{% $states.input.a %}"},"TimeoutSeconds":"{% 10 %}",
				"Output":"{% $states.result %}","Assign":{"v":"{% $states.result.v %}"},
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F","Output":"{% $states.errorOutput %}"}],"Next":"C"},
			"C":{"Type":"Choice","Choices":[{"Condition":"{% $v > 1 %}","Next":"W"}],"Default":"M"},
			"W":{"Type":"Wait","Seconds":"{% $v %}","Next":"M"},
			"M":{"Type":"Map","Items":"{% [1,2] %}","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true},
			"F":{"Type":"Fail","Error":"{% 'E' %}","Cause":"boom"}}}`, ""},
		{"JSONata state in a JSONPath machine", oneState(`{"Type":"Pass","QueryLanguage":"JSONata","Output":{"n":"{% 1 + 1 %}"},"End":true}`), ""},
		{"Express machine with a plain Task", oneState(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`), TypeExpress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, err := Parse([]byte(tt.def), Options{Type: tt.typ})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(def.Names) == 0 || def.States[def.StartAt] == nil {
				t.Fatalf("definition without its start state: %+v", def)
			}
		})
	}
}
