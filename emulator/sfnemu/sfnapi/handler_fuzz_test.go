package sfnapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/internal/clock"
)

const (
	fuzzMachine  = "arn:aws:states:us-east-1:123456789012:stateMachine:sm"
	fuzzExpress  = "arn:aws:states:us-east-1:123456789012:stateMachine:ex"
	fuzzActivity = "arn:aws:states:us-east-1:123456789012:activity:act"
)

// fuzzOps are the served operations in a fixed order, so that a fuzzed
// byte picks one.
var fuzzOps = func() []string {
	ops := make([]string, 0, len(operations))
	for name := range operations {
		ops = append(ops, name)
	}
	slices.Sort(ops)
	return ops
}()

// FuzzHandler posts an arbitrary body to an arbitrary operation of a fresh
// service that has a STANDARD and an EXPRESS Pass machine and an activity.
// Whatever the body, the answer is a 2xx or a 4xx (a 5xx, a handler panic
// included, is a bug), its body is JSON, and an error names its __type.
func FuzzHandler(f *testing.F) {
	seeds := map[string][]string{
		"CreateStateMachine": {
			`{"name":"n","roleArn":"arn:aws:iam::123456789012:role/R","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}`,
			`{"name":"n","roleArn":"arn:aws:iam::123456789012:role/R","definition":"{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Output\":\"{% $reduce([1..40], function($a, $i){ $a & $a }, 'x') %}\",\"End\":true}}}","type":"EXPRESS","tags":[{"key":"k","value":"v"}],"loggingConfiguration":{"level":"ALL"},"publish":true}`,
			`{"name":"n","roleArn":"r","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"u.$\":\"States.ArrayUnique(States.ArrayRange(1, 20000, 1))\"},\"End\":true}}}"}`,
		},
		"StartExecution": {
			`{"stateMachineArn":"` + fuzzMachine + `","name":"e1","input":"{\"a\":1}"}`,
			`{"stateMachineArn":"` + fuzzMachine + `#case","input":"` + strings.Repeat(`[`, 3000) + `"}`,
			`{"stateMachineArn":"` + fuzzMachine + `","input":"{\"n\":1e999999999}","traceHeader":"\u0000"}`,
		},
		"StartSyncExecution":             {`{"stateMachineArn":"` + fuzzExpress + `","input":"{}"}`},
		"DescribeStateMachine":           {`{"stateMachineArn":"` + fuzzMachine + `"}`, `{"stateMachineArn":"` + fuzzMachine + `:1"}`},
		"ValidateStateMachineDefinition": {`{"definition":"{\"StartAt\":\"P\",\"States\":{}}","type":"EXPRESS","severity":"WARNING","maxResults":99999999999}`},
		"ListExecutions":                 {`{"stateMachineArn":"` + fuzzMachine + `","statusFilter":"RUNNING","maxResults":-1,"nextToken":"garbage"}`},
		"GetExecutionHistory":            {`{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:e1","reverseOrder":"yes"}`},
		"SendTaskSuccess":                {`{"taskToken":"AAAA","output":"{}"}`, `{"taskToken":"` + strings.Repeat("A", 5000) + `","output":"not json"}`},
		"GetActivityTask":                {`{"activityArn":"` + fuzzActivity + `","workerName":"w"}`},
		"TagResource":                    {`{"resourceArn":"` + fuzzActivity + `","tags":[{"key":"","value":null}]}`},
		"CreateStateMachineAlias":        {`{"name":"a","routingConfiguration":[{"stateMachineVersionArn":"` + fuzzMachine + `:1","weight":101}]}`},
		"ListStateMachines":              {`{"maxResults":1000,"nextToken":"` + strings.Repeat("x", 2000) + `"}`},
	}
	hostile := []string{``, `{`, `[]`, `null`, `"s"`, `{"a":1}`, "{\"name\":\"\xff\xfe\"}", `{"name":1e999999}`,
		`{"maxResults":123456789012345678901234567890}`, strings.Repeat(`{"a":`, 10000) + `1` + strings.Repeat(`}`, 10000),
		strings.Repeat(`[`, 100000)}
	for i, op := range fuzzOps {
		for _, body := range append(seeds[op], hostile[i%len(hostile)]) {
			f.Add(uint8(i), []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		h, logs, done := newFuzzRouter(t)
		defer done()
		target := fuzzOps[int(op)%len(fuzzOps)]
		rec := fuzzPost(h, target, body)
		if rec.Code >= 500 {
			t.Fatalf("%s answered %d %s for body %.200q\nlog:\n%s", target, rec.Code, rec.Body, body, logs)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s answered %d with a body that is not JSON: %.200q", target, rec.Code, rec.Body)
		}
		if rec.Code >= 300 {
			var e struct {
				Type string `json:"__type"`
			}
			if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Type == "" || rec.Header().Get("X-Amzn-ErrorType") == "" {
				t.Fatalf("%s answered %d without __type or X-Amzn-ErrorType: %.200q", target, rec.Code, rec.Body)
			}
		}
	})
}

// newFuzzRouter serves a fresh service on a fake clock, set up with the
// machines and the activity the seeds name. logs receives panics' stacks.
func newFuzzRouter(t *testing.T) (h http.Handler, logs *bytes.Buffer, done func()) {
	svc := sfnemu.New(sfnemu.Config{
		Clock:  clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
		Logger: slog.New(slog.DiscardHandler),
		Invoke: func(context.Context, string, []byte) (sfnemu.InvokeResult, error) {
			return sfnemu.InvokeResult{Payload: []byte(`{}`)}, nil
		}})
	logs = &bytes.Buffer{}
	r := awsapi.NewRouter()
	r.Logger = slog.New(slog.NewTextHandler(logs, nil))
	r.HandleTarget("AWSStepFunctions", Handler(svc))
	for _, setup := range []struct{ op, body string }{
		{"CreateStateMachine", `{"name":"sm","roleArn":"arn:aws:iam::123456789012:role/R","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}`},
		{"CreateStateMachine", `{"name":"ex","type":"EXPRESS","roleArn":"arn:aws:iam::123456789012:role/R","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}`},
		{"CreateActivity", `{"name":"act"}`},
	} {
		if rec := fuzzPost(r, setup.op, []byte(setup.body)); rec.Code != http.StatusOK {
			svc.Close()
			t.Fatalf("setup %s: %d %s", setup.op, rec.Code, rec.Body)
		}
	}
	return r, logs, svc.Close
}

// fuzzPost sends one awsJson request; a request still waiting after 50ms (a
// GetActivityTask long poll) is cancelled.
func fuzzPost(h http.Handler, op string, body []byte) *httptest.ResponseRecorder {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
