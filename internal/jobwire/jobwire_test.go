package jobwire

import (
	"errors"
	"strings"
	"testing"
)

// The messages of the sample (aws-samples on-prem-jobs-with-step-functions)
// have no version and no kind; they must keep meaning what they meant.
func TestParseResult(t *testing.T) {
	long := strings.Repeat("t", MaxTokenLen+1)
	tests := []struct {
		name    string
		in      string
		kind    Kind
		errName string
		err     error
	}{
		{"sample success", `{"TaskToken":"t","result":57}`, KindSuccess, "", nil},
		{"sample exception is a failure", `{"TaskToken":"t","result":null,"exception":"TypeError"}`, KindFailure, "TypeError", nil},
		{"error field", `{"TaskToken":"t","error":"Boom","cause":"c"}`, KindFailure, "Boom", nil},
		{"error wins over result", `{"TaskToken":"t","result":1,"error":"Boom"}`, KindFailure, "Boom", nil},
		{"failure kind without a name", `{"TaskToken":"t","kind":"failure"}`, KindFailure, "", nil},
		{"heartbeat", `{"TaskToken":"t","kind":"heartbeat"}`, KindHeartbeat, "", nil},
		{"progress", `{"TaskToken":"t","kind":"progress","progress":{"percent":5}}`, KindProgress, "", nil},
		{"version 1", `{"version":1,"TaskToken":"t","result":1}`, KindSuccess, "", nil},
		{"progress without progress", `{"TaskToken":"t","kind":"progress"}`, "", "", ErrField},
		{"later version", `{"version":2,"TaskToken":"t","result":1}`, "", "", ErrVersion},
		{"negative version", `{"version":-1,"TaskToken":"t","result":1}`, "", "", ErrVersion},
		{"no token", `{"result":1}`, "", "", ErrNoToken},
		{"token too long", `{"TaskToken":"` + long + `"}`, "", "", ErrField},
		{"not json", `hello`, "", "", ErrNotJSON},
		{"array", `[1]`, "", "", ErrNotJSON},
		{"null", `null`, "", "", ErrNoToken},
		{"cancel on the results topic", `{"TaskToken":"t","kind":"cancel"}`, "", "", ErrUnknownKind},
		{"unknown kind", `{"TaskToken":"t","kind":"other"}`, "", "", ErrUnknownKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseResult([]byte(tt.in))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("err %v does not wrap ErrInvalid", err)
			}
			if r.Kind != tt.kind || r.Error != tt.errName {
				t.Fatalf("got kind %q error %q, want %q %q", r.Kind, r.Error, tt.kind, tt.errName)
			}
		})
	}
}

func TestParseJob(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		err       error
		keepToken bool // the job's token survives the error, so the task can be failed
	}{
		{"sample job", `{"Input":{"a":1},"TaskToken":"t"}`, nil, true},
		{"every field", `{"version":1,"Input":{},"TaskToken":"t","jobType":"add","jobId":"j","heartbeatSeconds":60,"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:e"}`, nil, true},
		{"no input", `{"TaskToken":"t"}`, nil, true},
		{"no token", `{"Input":{}}`, ErrNoToken, false},
		{"not json", `{`, ErrNotJSON, false},
		{"string", `"job"`, ErrNotJSON, false},
		{"later version", `{"version":2,"TaskToken":"t"}`, ErrVersion, true},
		{"heartbeat above the ASL maximum", `{"TaskToken":"t","heartbeatSeconds":100000000}`, ErrField, true},
		{"negative heartbeat means none", `{"TaskToken":"t","heartbeatSeconds":-1}`, nil, true},
		{"heartbeat beyond int", `{"TaskToken":"t","heartbeatSeconds":1e30}`, ErrField, true},
		{"jobType of the wrong type", `{"TaskToken":"t","jobType":7}`, ErrField, true},
		{"wrong type and no token", `{"jobType":7}`, ErrNoToken, false},
		{"jobId too long", `{"TaskToken":"t","jobId":"` + strings.Repeat("j", MaxNameLen+1) + `"}`, ErrField, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := ParseJob([]byte(tt.in))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := j.TaskToken == "t"; got != tt.keepToken {
				t.Fatalf("job token kept = %v, want %v (job %+v)", got, tt.keepToken, j)
			}
		})
	}
}

func TestParseCancel(t *testing.T) {
	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"by execution", `{"kind":"cancel","executionArn":"arn:x"}`, nil},
		{"by token", `{"kind":"cancel","TaskToken":"t","reason":"stop"}`, nil},
		{"by job id", `{"version":1,"kind":"cancel","jobId":"j"}`, nil},
		{"names nothing", `{"kind":"cancel"}`, ErrField},
		{"not a cancel", `{"kind":"progress","TaskToken":"t"}`, ErrUnknownKind},
		{"no kind", `{"TaskToken":"t"}`, ErrUnknownKind},
		{"later version", `{"version":9,"kind":"cancel","jobId":"j"}`, ErrVersion},
		{"not json", `cancel`, ErrNotJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCancel([]byte(tt.in)); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestBuilders(t *testing.T) {
	pct := 40.0
	job := Job{TaskToken: "t", JobID: "j", ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e"}
	tests := []struct {
		name string
		msg  func() ([]byte, error)
		want string
		kind Kind
	}{
		{"success", func() ([]byte, error) { return Success("t", 57) }, `{"version":1,"TaskToken":"t","result":57}`, KindSuccess},
		{"failure", func() ([]byte, error) { return Failure("t", "Boom", "why") },
			`{"version":1,"TaskToken":"t","kind":"failure","error":"Boom","cause":"why"}`, KindFailure},
		{"heartbeat", func() ([]byte, error) { return Heartbeat("t") }, `{"version":1,"TaskToken":"t","kind":"heartbeat"}`, KindHeartbeat},
		{"progress of any JSON", func() ([]byte, error) { return Progress(Job{TaskToken: "t"}, map[string]int{"done": 1, "of": 2}) },
			`{"version":1,"TaskToken":"t","kind":"progress","progress":{"done":1,"of":2}}`, KindProgress},
		{"progress report", func() ([]byte, error) { return Progress(job, ProgressReport{Percent: &pct, Message: "copying"}) },
			`{"version":1,"TaskToken":"t","kind":"progress","progress":{"percent":40,"message":"copying"},` +
				`"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:e","jobId":"j"}`, KindProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := tt.msg()
			if err != nil || string(msg) != tt.want {
				t.Fatalf("got %s, %v; want %s", msg, err, tt.want)
			}
			if r, err := ParseResult(msg); err != nil || r.Kind != tt.kind {
				t.Fatalf("ParseResult = %+v, %v; want kind %s", r, err, tt.kind)
			}
		})
	}
	if _, err := Progress(job, func() {}); err == nil {
		t.Fatal("Progress of a value JSON cannot encode succeeded")
	}
	over := 100.5
	if _, err := Progress(job, &ProgressReport{Percent: &over}); !errors.Is(err, ErrField) {
		t.Fatalf("Progress with percent 100.5: err = %v, want ErrField", err)
	}
	msg, err := NewCancel("arn:x", "execution ABORTED")
	if want := `{"version":1,"kind":"cancel","executionArn":"arn:x","reason":"execution ABORTED"}`; err != nil || string(msg) != want {
		t.Fatalf("NewCancel = %s, %v; want %s", msg, err, want)
	}
	if _, err := ParseCancel(msg); err != nil {
		t.Fatalf("ParseCancel(NewCancel(...)) = %v", err)
	}
}

func TestReadProgressReport(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		percent float64
	}{
		{`{"percent":12.5,"message":"m"}`, true, 12.5},
		{`{"message":"only words"}`, true, -1},
		{`{"percent":120}`, false, -1},
		{`{"percent":"half"}`, false, -1},
		{`[1,2]`, false, -1},
	}
	for _, tt := range tests {
		p, ok := ReadProgressReport([]byte(tt.in))
		if ok != tt.ok {
			t.Errorf("ReadProgressReport(%s) ok = %v, want %v", tt.in, ok, tt.ok)
		}
		if ok && tt.percent >= 0 && (p.Percent == nil || *p.Percent != tt.percent) {
			t.Errorf("ReadProgressReport(%s) percent = %v, want %v", tt.in, p.Percent, tt.percent)
		}
	}
}

func TestTopics(t *testing.T) {
	const results = "tenant1/from/worker"
	if got := ControlTopic("tenant1/to/worker"); got != "tenant1/to/worker/control" {
		t.Fatalf("ControlTopic = %q", got)
	}
	tests := []struct {
		arn, want string
	}{
		{"arn:aws:states:us-east-1:123456789012:execution:m:run-1", results + "/progress/run-1/"},
		{"arn:aws:states:us-east-1:123456789012:execution:m:a+b", results + "/progress/a_b/"},
		{"", results + "/progress/-/"},
	}
	for _, tt := range tests {
		if got := ProgressPrefix(results, tt.arn); got != tt.want {
			t.Errorf("ProgressPrefix(%q) = %q, want %q", tt.arn, got, tt.want)
		}
	}
	job := Job{TaskToken: "t", ExecutionArn: tests[0].arn}
	if got, want := ProgressTopic(results, job), tests[0].want+TaskRef("t"); got != want {
		t.Fatalf("ProgressTopic = %q, want %q", got, want)
	}
	if len(TaskRef("t")) != 12 {
		t.Fatalf("TaskRef is %q, want 12 hex digits", TaskRef("t"))
	}
	if got := ProgressFilter(results); got != results+"/progress/#" {
		t.Fatalf("ProgressFilter = %q", got)
	}
}
