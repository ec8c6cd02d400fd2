package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cases are small documents in the recorded format, one per path the
// runner takes: a plain execution, mocks with a retry, a callback answered
// by the scripted worker, a stop, an API sequence and a skip.
var cases = map[string]string{
	"pass.json": `{"id":"t/pass","category":"flow","tags":["pass"],
		"definition":{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}},
		"state_machine_type":"STANDARD","input":{},
		"expect":{"status":"SUCCEEDED","output":{"a":1},"history":[
			{"type":"ExecutionStarted","id":1,"previousEventId":0,"executionStartedEventDetails":{"input":{},"inputDetails":{"truncated":false},"roleArn":"<arn>"}},
			{"type":"PassStateEntered","id":2,"previousEventId":0,"stateEnteredEventDetails":{"input":{},"inputDetails":{"truncated":false},"name":"P"}},
			{"type":"PassStateExited","id":3,"previousEventId":2,"stateExitedEventDetails":{"name":"P","output":{"a":1},"outputDetails":{"truncated":false}}},
			{"type":"ExecutionSucceeded","id":4,"previousEventId":3,"executionSucceededEventDetails":{"output":{"a":1},"outputDetails":{"truncated":false}}}]}}`,
	"retry.json": `{"id":"t/retry","category":"mocked","tags":["mocked","retry"],
		"definition":{"StartAt":"L","States":{"L":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"FunctionName":"f","Payload.$":"$"},"OutputPath":"$.Payload",
			"Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":3600,"MaxAttempts":2}],"End":true}}},
		"state_machine_type":"STANDARD","input":{"x":1},
		"mocks":{"L":{"0":{"Throw":{"Error":"Boom","Cause":"{\"a\": 1}"}},"1":{"Return":{"StatusCode":200,"Payload":{"ok":true}}}}},
		"expect":{"status":"SUCCEEDED","output":{"ok":true}}}`,
	"callback.json": `{"id":"t/callback","category":"callbacks","tags":["callback","mocked"],
		"definition":{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
			"HeartbeatSeconds":10,"Parameters":{"QueueUrl":"q","MessageBody":{"T.$":"$$.Task.Token"}},"End":true}}},
		"state_machine_type":"STANDARD","input":{},
		"mocks":{"W":{"0":{"Return":{"MessageId":"m"}}}},
		"callbacks":[{"state":"W","attempt":0,"actions":[{"action":"SendTaskHeartbeat","delay_seconds":8},
			{"action":"SendTaskHeartbeat","delay_seconds":8},{"action":"SendTaskSuccess","delay_seconds":8,"output":{"t":"<token>"}}]}],
		"expect":{"status":"SUCCEEDED","output":{"t":"<token>"}}}`,
	"timeout.json": `{"id":"t/timeout","category":"callbacks","tags":["callback","mocked"],
		"definition":{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
			"HeartbeatSeconds":10,"Parameters":{"QueueUrl":"q","MessageBody":{"T.$":"$$.Task.Token"}},"End":true}}},
		"state_machine_type":"STANDARD","input":{},
		"mocks":{"W":{"0":{"Return":{"MessageId":"m"}}}},
		"callbacks":[{"state":"W","attempt":0,"actions":[{"action":"SendTaskHeartbeat","delay_seconds":8},
			{"action":"SendTaskSuccess","delay_seconds":11,"output":{}}]}],
		"expect":{"status":"FAILED","error":"States.Timeout"}}`,
	"stop.json": `{"id":"t/stop","category":"flow","tags":["wait"],
		"definition":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}},
		"state_machine_type":"STANDARD","input":{},"stop_execution":{"after_event":"WaitStateEntered","error":"E"},
		"expect":{"status":"ABORTED","error":"E"}}`,
	"api.json": `{"id":"t/api","category":"api","tags":["api"],
		"api":{"calls":[{"action":"CreateStateMachine","params":{"name":"m","roleArn":"${roleArn}",
			"definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}},
			{"action":"StartExecution","params":{"stateMachineArn":"${0.stateMachineArn}","name":"e"}},
			{"action":"WaitForExecution","params":{"executionArn":"${1.executionArn}","until":"succeeded"}},
			{"action":"StartExecution","params":{"stateMachineArn":"${0.stateMachineArn}","name":"e"}}]},
		"expect":{"api_error":{"code":"ExecutionAlreadyExists","message":"Execution Already Exists: '<arn>'"}}}`,
	"skipped.json": `{"id":"t/skipped","category":"map","tags":["map","not_emulated"],"definition":{},"expect":{"status":"SUCCEEDED"}}`,
	"jsonata.json": `{"id":"t/jsonata","category":"jsonata","tags":["jsonata"],"input":{"a":1},
		"definition":{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input.a + 1 %}","End":true}}},
		"expect":{"status":"SUCCEEDED","output":2}}`,
}

func TestRunCases(t *testing.T) {
	saved := skipTable
	skipTable = []struct{ tag, reason string }{{"not_emulated", "a feature stepwire lacks"}}
	defer func() { skipTable = saved }()
	dir := t.TempDir()
	for name, doc := range cases {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	loaded, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	results := RunAll(loaded, 2)
	for _, r := range results {
		switch {
		case r.Case.HasTag("not_emulated"):
			if r.Skip == "" {
				t.Errorf("%s ran, want skipped", r.Case.ID)
			}
		case r.Err != nil:
			t.Errorf("%s: %v", r.Case.ID, r.Err)
		}
	}
	rep := Summarise(results)
	if rep.All != (Tally{Passed: 7, Skipped: 1}) || rep.Bar != (Tally{Passed: 6}) || rep.QueryBar != (Tally{Passed: 1}) {
		t.Errorf("tallies all=%+v bar=%+v query bar=%+v", rep.All, rep.Bar, rep.QueryBar)
	}
	var out strings.Builder
	PrintTable(&out, rep)
	PrintBarTallies(&out, rep)
	PrintSummary(&out, rep)
	if !strings.Contains(out.String(), "bar (JSONata and variables): 1 of 1 pass (100.0%), 0 skipped\n") {
		t.Errorf("bar tallies missing from %q", out.String())
	}
	if !strings.HasSuffix(out.String(), "conformance: 7 passed, 0 failed, 1 skipped\n") {
		t.Errorf("report ends %q", out.String())
	}
}

func TestRunReportsDifferences(t *testing.T) {
	dir := t.TempDir()
	doc := strings.Replace(cases["retry.json"], `"output":{"ok":true}`, `"output":{"ok":false}`, 1)
	if err := os.WriteFile(filepath.Join(dir, "c.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := Run(loaded[0])
	if r.Err == nil || !strings.Contains(r.Err.Error(), `output {"ok":true}, want {"ok":false}`) {
		t.Fatalf("err = %v", r.Err)
	}
}

func TestBar(t *testing.T) {
	rep := Report{Bar: Tally{Passed: 90, Failed: 10}, BarByCategory: map[string]*Tally{
		"a": {Passed: 80, Failed: 10}, "b": {Passed: 10}}, QueryBar: Tally{Passed: 19, Failed: 1}}
	for _, tc := range []struct {
		bar   Bar
		unmet int
	}{
		{Bar{MinPass: 0.9, MinCategory: 0.85, MaxSkip: 0}, 0},
		{Bar{MinPass: 0.95, MinCategory: 0.85, MaxSkip: 0}, 1},
		{Bar{MinPass: 0.95, MinCategory: 0.95, MaxSkip: 0}, 2},
		{Bar{MinQueryPass: 0.95}, 0},
		{Bar{MinQueryPass: 0.96}, 1},
	} {
		if got := tc.bar.Check(rep); len(got) != tc.unmet {
			t.Errorf("%+v: unmet %q, want %d", tc.bar, got, tc.unmet)
		}
	}
}
