package jobwire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var plainJobSeeds = []string{
	`{"Input":{"a":15,"b":42},"TaskToken":"AAAA","executionArn":"arn:aws:states:us-east-1:1:execution:M:x"}`,
	` { "version" : 1 , "Input" : [1, "x", {"y": null}] , "TaskToken" : "t" , "jobType" : "add", "jobId": "j-1", "heartbeatSeconds": 30 } `,
	`{"TaskToken":"t","Input":"s","extra":{"TaskToken":"inner"},"more":[{"a":"]}"}],"n":-1.5e3,"b":true,"z":null}`,
	`{"tasktoken":"t"}`, `{"TASKTOKEN":"t","TaskToken":"u"}`, `{"TaskToken":"t\u00e9"}`, `{"TaskToken":"caf` + "\u00e9" + `"}`,
	`{"TaskToken":"t","Input":null}`, `{"TaskToken":null}`, `{"TaskToken":"t","version":1.0}`, `{"TaskToken":"t","version":1e0}`,
	`{"TaskToken":"t","heartbeatSeconds":99999999999999999999}`, `{"TaskToken":"t","version":-0}`, `{"TaskToken":"t","version":-3}`,
	`{"TaskToken":1}`, `{"TaskToken":"a","TaskToken":"b","Input":1,"Input":{"c":2}}`, `{}`, `[]`, `"x"`, `null`, `{"Input":{}}`,
	`{"TaskToken":"t","jobId":"` + strings.Repeat("x", 300) + `"}`, "{\"TaskToken\":\"\xff\"}", `{"TaſkToken":"t"}`, `{"Taskᴛoken":"t"}`,
	`{"TaskToken":"t","Input":"a\"b\\"}`, `{"TaskToken":"t","Input":12}`, `{"TaskToken":"t","jobType":""}`,
	`{"TaskToken":"t",}`, `{"TaskToken":"t"} x`, `{"TaskToken":"t"`, `{"TaskToken" "t"}`, `{"TaskToken":"t","version":01}`,
	`{"TaskToken":"t","Input":{"a":}}`, `{"TaskToken":"t","x":tru}`, "{\"TaskToken\":\"a\tb\"}", `{"TaskToken":"t","version":-}`,
	`{"TaskToken":"t","x":[1,2}`, `{"TaskToken":"t"}}`, `{,}`, `{"Input":{"a":1}"TaskToken":"t"}`,
}

// TestParseJobPlainAsUnmarshal compares the plain reader with
// json.Unmarshal wherever it answers.
func TestParseJobPlainAsUnmarshal(t *testing.T) {
	answered := 0
	for _, s := range plainJobSeeds {
		if checkPlainJob(t, []byte(s)) {
			answered++
		}
	}
	if answered < 10 {
		t.Errorf("the plain reader answered %d of %d seeds", answered, len(plainJobSeeds))
	}
}

func FuzzParseJobPlain(f *testing.F) {
	for _, s := range plainJobSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkPlainJob(t, data) })
}

// checkPlainJob checks parseJobPlain's answer for data, if any, against
// json.Unmarshal's.
func checkPlainJob(t *testing.T, data []byte) bool { return checkPlain(t, data, parseJobPlain) }

// checkPlain checks parse's answer for data, if any, against
// json.Unmarshal's into the same type, and reports whether it answered.
func checkPlain[T any](t *testing.T, data []byte, parse func([]byte) (T, bool)) bool {
	t.Helper()
	got, ok := parse(data)
	if !ok {
		return false
	}
	var want T
	if err := json.Unmarshal(data, &want); err != nil {
		t.Errorf("%s: the plain reader answered %+v, Unmarshal failed: %v", data, got, err)
		return true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: the plain reader read %+v, Unmarshal %+v", data, got, want)
	}
	return true
}

var plainResultSeeds = []string{
	`{"version":1,"TaskToken":"AAAA","result":57}`, `{"TaskToken":"t","result":{"a":[1,2]},"kind":"success"}`,
	`{"TaskToken":"t","error":"E","cause":"c","exception":"X"}`, `{"TaskToken":"t","kind":"progress","progress":{"pct":5},"jobId":"j","executionArn":"a"}`,
	`{"TaskToken":"t","result":null}`, `{"TaskToken":"t","Result":1}`, `{"TaskToken":"t","kind":"heart\u0062eat"}`,
	`{"TaskToken":"t","result":1,"result":2}`, `{"TaskToken":"t","x":{"y":[null]},"result":"s"}`, `{"TaskToken":"t","result":}`,
	`{"TaskToken":"t","version":1.5}`, `{"TaskToken":"t"}  `, `{"TaskToken":"t"},`,
}

// TestParseResultPlainAsUnmarshal compares the plain reader of results
// with json.Unmarshal wherever it answers.
func TestParseResultPlainAsUnmarshal(t *testing.T) {
	answered := 0
	for _, s := range append(plainResultSeeds, plainJobSeeds...) {
		if checkPlainResult(t, []byte(s)) {
			answered++
		}
	}
	if answered < 8 {
		t.Errorf("the plain reader answered %d seeds", answered)
	}
}

func FuzzParseResultPlain(f *testing.F) {
	for _, s := range plainResultSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkPlainResult(t, data) })
}

func checkPlainResult(t *testing.T, data []byte) bool { return checkPlain(t, data, parseResultPlain) }
