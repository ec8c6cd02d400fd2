package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/console"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// mapDefinition runs a Pass state for each item: about four events per
// item.
const mapDefinition = `{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
 "ItemProcessor":{"StartAt":"Step","States":{"Step":{"Type":"Pass","End":true}}},"End":true}}}`

// historyOf runs an execution of mapDefinition over n items and returns
// the console over its service and the execution's ARN.
func historyOf(t testing.TB, n int) (*console.Console, string) {
	t.Helper()
	svc := sfnemu.New(sfnemu.Config{})
	t.Cleanup(svc.Close)
	ctx := context.Background()
	sm, err := svc.CreateStateMachine(ctx, sfnemu.CreateStateMachineInput{Name: "big", Definition: mapDefinition,
		RoleArn: "arn:aws:iam::123456789012:role/r"})
	if err != nil {
		t.Fatal(err)
	}
	items := strings.TrimSuffix(strings.Repeat(`{"v":1},`, n), ",")
	input := `{"items":[` + items + `]}`
	out, err := svc.StartExecution(ctx, sfnemu.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: &input})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := svc.WaitExecution(wctx, out.ExecutionArn); err != nil {
		t.Fatal(err)
	}
	return console.New(console.Config{SFN: svc}), out.ExecutionArn
}

func getPage(t testing.TB, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
	}
	return rec
}

func TestExecutionPageOfAThousandEvents(t *testing.T) {
	c, arn := historyOf(t, 250)
	page := getPage(t, c.Handler(), "/console/execution?arn="+url.QueryEscape(arn)).Body.String()
	if n := strings.Count(page, `<details id="ev-`); n < 1000 {
		t.Fatalf("%d events with details, want at least 1000", n)
	}
	for _, want := range []string{`st-succeeded" data-state="Each"`, `st-succeeded" data-state="Step"`, "SUCCEEDED", "MapIterationSucceeded"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// BenchmarkExecutionPage renders the page of a 1,000-event history
// (server side; the goal is under 100 ms).
func BenchmarkExecutionPage(b *testing.B) {
	c, arn := historyOf(b, 250)
	h, path := c.Handler(), "/console/execution?arn="+url.QueryEscape(arn)
	b.ResetTimer()
	for b.Loop() {
		getPage(b, h, path)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
}

func TestListsAndFilters(t *testing.T) {
	c, arn := historyOf(t, 3)
	h := c.Handler()
	machine := "arn:aws:states:us-east-1:123456789012:stateMachine:big"
	if p := getPage(t, h, "/console/").Body.String(); !strings.Contains(p, ">big</a>") || !strings.Contains(p, `s-SUCCEEDED">1<`) {
		t.Errorf("machines page:\n%s", p)
	}
	name := arn[strings.LastIndexByte(arn, ':')+1:]
	for q, want := range map[string]bool{"": true, "&status=SUCCEEDED": true, "&status=FAILED": false,
		"&name=" + name[:8]: true, "&name=nope": false} {
		p := getPage(t, h, "/console/executions?machine="+url.QueryEscape(machine)+q).Body.String()
		if got := strings.Contains(p, name); got != want {
			t.Errorf("executions%s lists the execution: %v, want %v", q, got, want)
		}
	}
}

func TestLiveStreamsAreBounded(t *testing.T) {
	svc := sfnemu.New(sfnemu.Config{})
	t.Cleanup(svc.Close)
	c := console.New(console.Config{SFN: svc, MaxStreams: 2, PollInterval: 10 * time.Millisecond})
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(c.Close)
	open := func() *http.Response {
		t.Helper()
		res, err := http.Get(srv.URL + "/console/events?watch=" + url.QueryEscape("/console/"))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	var held []*http.Response
	for i := range 2 {
		res := open()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("stream %d: %d %s", i, res.StatusCode, res.Header.Get("Content-Type"))
		}
		held = append(held, res)
	}
	if res := open(); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third stream: %d, want 503", res.StatusCode)
	}
	held[0].Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := open()
		if res.StatusCode == http.StatusOK {
			res.Body.Close()
			break
		}
		res.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("a closed stream's slot was not freed")
		}
		time.Sleep(10 * time.Millisecond) // polling interval
	}
	held[1].Body.Close()
}
