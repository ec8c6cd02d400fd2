package interp

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/conformance/casematch"
)

// States.Runtime causes of JSONPath-mode data flow, each as AWS recorded
// it (docs/step-functions.md §1.3, §1.8). Every row runs the definition
// and input of its case file and wants the cause verbatim; a placeholder
// (<any>, <timestamp>) stands where the recording hid the text.
func TestRuntimeCausesRecorded(t *testing.T) {
	tests := []struct{ file, cause string }{
		// InputPath, OutputPath, TimeoutSecondsPath and HeartbeatSecondsPath:
		// a missing last property is "No results for path" with the whole path.
		{"scenarios.test_base_scenarios__test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_INPUTPATH.json",
			"An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"},
		{"scenarios.test_base_scenarios__test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_OUTPUTPATH.json",
			"An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"},
		{"scenarios.test_base_scenarios__test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_TIMEOUTSECONDSPATH.json",
			"An error occurred while executing the state 'task' (entered at the event id #2). Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: $['NoSuchTimeoutSecondsPath']"},
		{"scenarios.test_base_scenarios__test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_HEARTBEATSECONDSPATH.json",
			"An error occurred while executing the state 'task' (entered at the event id #2). Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: $['NoSuchTimeoutSecondsPath']"},
		// A "key.$" path (input or context object) and Fail's ErrorPath: the
		// field is named and the input quoted.
		{"scenarios.test_base_scenarios__test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH.json",
			"An error occurred while executing the state 'pass' (entered at the event id #2). The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '<any>'"},
		{"scenarios.test_base_scenarios__test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH.json",
			"An error occurred while executing the state 'pass' (entered at the event id #2). The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '<any>'"},
		{"scenarios.test_base_scenarios__test_invalid_jsonpath_INVALID_JSONPATH_IN_ERRORPATH.json",
			"An error occurred while executing the state 'fail' (entered at the event id #4). The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '<any>'"},
		// Wait's SecondsPath and TimestampPath (§1.2.1).
		{"logs.test_logs__test_base_wait_seconds_path.json5_ALL_False.json",
			"An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds"},
		{"base.test_wait__test_base_wait_seconds_path_-1.json",
			"An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.input.waitSeconds == -1"},
		{"base.test_wait__test_base_wait_seconds_path_1.5.json",
			"An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5"},
		{"scenarios.test_base_scenarios__test_wait_timestamp_path_NO_Z.json",
			"An error occurred while executing the state 'WaitUntil' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-12-05T21:29:29"},
		{"base.test_wait__test_timestamp_too_far_in_future_boundary_24856.json",
			"An error occurred while executing the state 'State_1' (entered at the event id #2). Wait state delay is too long."},
		// Map's MaxConcurrencyPath.
		{"scenarios.test_base_scenarios__test_max_concurrency_path_max_concurrency_value0.json",
			"An error occurred while executing the state 'MapState' (entered at the event id #2). The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: $.MaxConcurrencyValue"},
	}
	for _, tt := range tests {
		c := readCase(t, tt.file)
		exp, _ := c.Get("expect")
		recorded, _ := exp.(*jsonv.Object).Get("cause")
		if recorded != tt.cause {
			t.Errorf("%s: the table says %q, the recording %q", tt.file, tt.cause, recorded)
			continue
		}
		def, _ := c.Get("definition")
		input, _ := c.Get("input")
		h := newHarness(t, jsonv.EncodeString(def), substituteNow(jsonv.EncodeString(input)))
		if h.last.Status != StatusFailed || h.last.Error != "States.Runtime" || !casematch.String(tt.cause, h.last.Cause) {
			t.Errorf("%s:\n status %s, error %s, cause %q\n want States.Runtime %q", tt.file, h.last.Status, h.last.Error, h.last.Cause, tt.cause)
		}
	}
}

// readCase reads one recorded case of the repository's directory.
func readCase(t *testing.T, name string) *jsonv.Object {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(casematch.RepoCases, name))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonv.Decode(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v.(*jsonv.Object)
}

// Causes of the same family that testdata does not hold. The first two
// are AWS recordings kept in LocalStack's
// tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.snapshot.json
// (test_catch_states_runtime, 23-11-2023: a Task's OutputPath
// "$.no.such.result.path" over the result {}, not caught by its States.Runtime
// catcher; test_invalid_jsonpath[INVALID_JSONPATH_IN_CAUSEPATH]). The rest
// follow the Jayway rules the recordings show (jsonpath.Path.Miss): a
// missing property before the last step is "Missing property in path" up
// to it; a missing last property or an index out of range is "No results
// for path" with the whole path; a filter or wildcard selects an array,
// possibly empty, and never fails.
func TestRuntimeCausesDerived(t *testing.T) {
	const pass = `{"StartAt":"P","States":{"P":{"Type":"Pass",%s,"End":true}}}`
	const at2 = "An error occurred while executing the state 'P' (entered at the event id #2). "
	tests := []struct{ def, fields, input, cause string }{
		{pass, `"Result":{},"OutputPath":"$.no.such.result.path"`, `{}`,
			at2 + "Invalid path '$.no.such.result.path' : Missing property in path $['no']"},
		{`{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"F"},"F":{"Type":"Fail","CausePath":"$.NoSuchCausePath"}}}`, "", `{"a":1}`,
			"An error occurred while executing the state 'F' (entered at the event id #4). The JSONPath '$.NoSuchCausePath' specified for the field 'CausePath' could not be found in the input '{\"a\":1}'"},
		{pass, `"InputPath":"$.a.b"`, `{"a":{}}`, at2 + "Invalid path '$.a.b' : No results for path: $['a']['b']"},
		{pass, `"InputPath":"$.a.b.c"`, `{"x":1}`, at2 + "Invalid path '$.a.b.c' : Missing property in path $['a']"},
		{pass, `"InputPath":"$.items[10]"`, `{"items":[1,2]}`, at2 + "Invalid path '$.items[10]' : No results for path: $['items'][10]"},
		{pass, `"InputPath":"$.items[10].k"`, `{"items":[1,2]}`, at2 + "Invalid path '$.items[10].k' : No results for path: $['items'][10]['k']"},
		{pass, `"InputPath":"$.items[0].k.v"`, `{"items":[{}]}`, at2 + "Invalid path '$.items[0].k.v' : Missing property in path $['items'][0]['k']"},
		{pass, `"OutputPath":"$$.Execution.Nope.x"`, `{}`, at2 + "Invalid path '$$.Execution.Nope.x' : Missing property in path $['Execution']['Nope']"},
		{pass, `"Parameters":{"v.$":"$.a.b.c"}`, `{}`, at2 + "The JSONPath '$.a.b.c' specified for the field 'v.$' could not be found in the input '{}'"},
		{`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a.b","IsNull":true,"Next":"E"}],"Default":"E"},"E":{"Type":"Succeed"}}}`, "", `{}`,
			"An error occurred while executing the state 'C' (entered at the event id #2). Invalid path '$.a.b' : Missing property in path $['a']"},
		{`{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.list.items","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}`, "", `{"list":{}}`,
			"An error occurred while executing the state 'M' (entered at the event id #2). Invalid path '$.list.items' : No results for path: $['list']['items']"},
		// ResultPath into a string: no recording shows AWS's text; this is
		// stepwire's (docs/step-functions.md §1.3, step 5).
		{pass, `"Result":1,"ResultPath":"$.a.b"`, `{"a":"s"}`, at2 + "Invalid path '$.a.b' : Missing property in path $['a']['b']"},
	}
	for _, tt := range tests {
		def := tt.def
		if tt.fields != "" {
			def = fmt.Sprintf(tt.def, tt.fields)
		}
		h := newHarness(t, def, tt.input)
		if h.last.Status != StatusFailed || h.last.Error != "States.Runtime" || h.last.Cause != tt.cause {
			t.Errorf("%s on %s:\n status %s, error %s, cause %q\n want States.Runtime %q", def, tt.input, h.last.Status, h.last.Error, h.last.Cause, tt.cause)
		}
	}
	// A filter that matches nothing, and a wildcard over an empty array,
	// select [] (Jayway's indefinite paths).
	for _, p := range []string{`$.a[?(@.k == 9)]`, `$.b[*]`} {
		h := newHarness(t, fmt.Sprintf(pass, `"InputPath":"`+p+`"`), `{"a":[{"k":1}],"b":[]}`)
		if h.last.Status != StatusSucceeded || string(h.last.Output) != "[]" {
			t.Errorf("InputPath %s: status %s, output %s, cause %q; want SUCCEEDED []", p, h.last.Status, h.last.Output, h.last.Cause)
		}
	}
}
