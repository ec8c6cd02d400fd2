package interp

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl"
)

// distributedTasks is a Distributed Map whose children call a task;
// fields are added to the Map state.
func distributedTasks(fields string) string {
	return `{"StartAt":"M","States":{"M":{"Type":"Map",` + fields + `
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{
  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`
}

// childTranscript renders a child's history like transcript.
func (h *harness) childTranscript(arn string) string {
	var b strings.Builder
	for _, e := range h.childEvents[arn] {
		fmt.Fprintf(&b, "%d %s p=%d\n", e.ID, e.Type, e.PreviousEventID)
	}
	return b.String()
}

// onlyRun returns the execution's single Map Run.
func (h *harness) onlyRun() MapRun {
	h.t.Helper()
	if len(h.runs) != 1 {
		h.t.Fatalf("map runs = %d, want 1", len(h.runs))
	}
	for _, r := range h.runs {
		return r
	}
	return MapRun{}
}

// AWS "Using Map state in Distributed mode": each item runs as a child
// execution with a history of its own; the parent logs MapRunStarted and
// MapRunSucceeded (recorded in the conformance cases), and the Map Run
// and child ARNs carry the state machine name and the label.
func TestDistributedMapChildExecutions(t *testing.T) {
	h := newHarnessWith(t, distributedTasks(`"Label":"Run","MaxConcurrency":1,`), `["a","b"]`, func(o *Options) {
		n := 0
		o.NewUUID = func() string { n++; return fmt.Sprintf("uuid-%d", n) }
	})
	if len(h.invokes) != 1 {
		t.Fatalf("invokes = %d, want 1 (MaxConcurrency 1)", len(h.invokes))
	}
	run := h.onlyRun()
	if run.MapRunArn != "arn:aws:states:us-east-1:123456789012:mapRun:sm/Run:uuid-1" || run.StateMachineArn != "arn:aws:states:us-east-1:123456789012:stateMachine:sm/Run" {
		t.Fatalf("run = %+v", run)
	}
	if run.Executions != (MapRunCounts{Pending: 1, Running: 1, Total: 2}) {
		t.Fatalf("execution counts = %+v", run.Executions)
	}
	_ = h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: json.RawMessage(`1`)})
	_ = h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: json.RawMessage(`2`)})
	want := lines("1 ExecutionStarted p=0", "2 MapStateEntered p=0", "3 MapStateStarted p=2",
		"4 MapRunStarted p=3", "5 MapRunSucceeded p=4", "6 MapStateSucceeded p=5", "7 MapStateExited p=4",
		"8 ExecutionSucceeded p=7")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if got := string(h.last.Output); got != `[1,2]` {
		t.Fatalf("output = %s", got)
	}
	if len(h.childOrder) != 2 {
		t.Fatalf("children = %v", h.childOrder)
	}
	first := h.children[h.childOrder[0]]
	if first.ExecutionArn != "arn:aws:states:us-east-1:123456789012:execution:sm/Run:uuid-2" || first.Name != "uuid-2" ||
		first.Status != StatusSucceeded || first.Input != `"a"` || string(first.Output) != "1" || first.MapRunArn != run.MapRunArn {
		t.Fatalf("first child = %+v", first)
	}
	wantChild := lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=1", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSucceeded p=4", "6 TaskStateExited p=5", "7 ExecutionSucceeded p=6")
	if got := h.childTranscript(first.ExecutionArn); got != wantChild {
		t.Fatalf("child transcript:\n%s\nwant:\n%s", got, wantChild)
	}
	if run := h.onlyRun(); run.Status != MapRunSucceeded || run.Items != (MapRunCounts{Succeeded: 2, Total: 2}) {
		t.Fatalf("run = %+v", run)
	}
}

// AWS "Setting failure thresholds for Distributed Map states": failures up
// to the threshold leave the run going; one more fails it with
// States.ExceedToleratedFailureThreshold, aborting the children still
// running; without a threshold any failure fails the run.
func TestDistributedMapToleratedFailures(t *testing.T) {
	tests := []struct {
		name, fields string
		fail         []int // children (by invoke order) whose task fails
		wantStatus   Status
		wantOutput   string
	}{
		{"no threshold, one failure", ``, []int{0}, StatusFailed, ""},
		{"count 1, one failure", `"ToleratedFailureCount":1,`, []int{0}, StatusSucceeded, `[{"Error":"E","Cause":"c"},"ok","ok"]`},
		{"count 1, two failures", `"ToleratedFailureCount":1,`, []int{0, 1}, StatusFailed, ""},
		{"percentage 50, one of three", `"ToleratedFailurePercentage":50,`, []int{2}, StatusSucceeded, `["ok","ok",{"Error":"E","Cause":"c"}]`},
		{"percentage 50, two of three", `"ToleratedFailurePercentage":50,`, []int{0, 1}, StatusFailed, ""},
		{"both set, count exceeded", `"ToleratedFailureCount":0,"ToleratedFailurePercentage":100,`, []int{1}, StatusFailed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, distributedTasks(tt.fields), `[1,2,3]`)
			invokes := append([]InvokeTask(nil), h.invokes...)
			for i, inv := range invokes {
				failed := false
				for _, f := range tt.fail {
					failed = failed || f == i
				}
				if h.m.Status() != StatusRunning {
					break
				}
				if failed {
					_ = h.handle(TaskFailed{TaskID: inv.TaskID, Failure: asl.NewFailure("E", "c")})
				} else {
					_ = h.handle(TaskInvoked{TaskID: inv.TaskID, Output: json.RawMessage(`"ok"`)})
				}
			}
			if h.m.Status() != tt.wantStatus {
				t.Fatalf("status = %s, want %s\n%s", h.m.Status(), tt.wantStatus, h.transcript())
			}
			if tt.wantOutput != "" && string(h.last.Output) != tt.wantOutput {
				t.Fatalf("output = %s, want %s", h.last.Output, tt.wantOutput)
			}
			if tt.wantStatus == StatusFailed {
				if h.last.Error != string(asl.StatesExceedToleratedFailureThreshold) || h.last.Cause != "The specified tolerated failure threshold was exceeded" {
					t.Fatalf("failure = %+v", h.last.Failure)
				}
				if run := h.onlyRun(); run.Status != MapRunFailed {
					t.Fatalf("run status = %s", run.Status)
				}
				for _, arn := range h.childOrder {
					if c := h.children[arn]; c.Status == StatusRunning {
						t.Fatalf("child %s still running", arn)
					}
				}
			}
		})
	}
}

// AWS "ItemBatcher (Map)": items are grouped by count and by size, each
// batch as {"BatchInput": ..., "Items": [...]}.
func TestDistributedMapBatches(t *testing.T) {
	tests := []struct {
		name, batcher, input string
		want                 []string
	}{
		{"by count", `{"MaxItemsPerBatch":2}`, `[1,2,3,4,5]`, []string{`{"Items":[1,2]}`, `{"Items":[3,4]}`, `{"Items":[5]}`}},
		{"with batch input", `{"MaxItemsPerBatch":3,"BatchInput":{"k.$":"$.k"}}`, `{"k":"v","items":[1,2]}`, []string{`{"BatchInput":{"k":"v"},"Items":[1,2]}`}},
		{"by size", `{"MaxInputBytesPerBatch":20}`, `["aaaa","bbbb","cccc"]`, []string{`{"Items":["aaaa"]}`, `{"Items":["bbbb"]}`, `{"Items":["cccc"]}`}},
		{"count from a path", `{"MaxItemsPerBatchPath":"$.n"}`, `{"n":2,"items":[1,2,3]}`, []string{`{"Items":[1,2]}`, `{"Items":[3]}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := ``
			if strings.HasPrefix(tt.input, "{") {
				items = `"ItemsPath":"$.items",`
			}
			h := newHarness(t, distributedTasks(items+`"ItemBatcher":`+tt.batcher+`,`), tt.input)
			var got []string
			for _, inv := range h.invokes {
				got = append(got, string(inv.Parameters))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("batches = %v, want %v", got, tt.want)
			}
			run := h.onlyRun()
			if run.Executions.Total != int64(len(tt.want)) || run.Items.Running == 0 {
				t.Fatalf("counts = %+v / %+v", run.Executions, run.Items)
			}
		})
	}
}

// AWS UpdateMapRun: raising MaxConcurrency starts pending children.
func TestDistributedMapUpdateMapRun(t *testing.T) {
	h := newHarness(t, distributedTasks(`"MaxConcurrency":1,`), `[1,2,3]`)
	run := h.onlyRun()
	three := int64(3)
	if err := h.handle(UpdateMapRun{MapRunArn: run.MapRunArn, MaxConcurrency: &three}); err != nil {
		t.Fatal(err)
	}
	if len(h.invokes) != 3 {
		t.Fatalf("invokes = %d, want 3", len(h.invokes))
	}
	if got := h.onlyRun().MaxConcurrency; got != 3 {
		t.Fatalf("MaxConcurrency = %d", got)
	}
	if err := h.handle(UpdateMapRun{MapRunArn: "arn:nope"}); err != ErrUnknownTask {
		t.Fatalf("unknown run: err = %v", err)
	}
}

// StopExecution aborts the running children and their run.
func TestDistributedMapStopAbortsChildren(t *testing.T) {
	h := newHarness(t, distributedTasks(``), `[1,2]`)
	_ = h.handle(Stop{})
	for _, arn := range h.childOrder {
		c := h.children[arn]
		if c.Status != StatusAborted || !strings.HasSuffix(h.childTranscript(arn), "ExecutionAborted p=4\n") {
			t.Fatalf("child %s: %s\n%s", arn, c.Status, h.childTranscript(arn))
		}
	}
	if run := h.onlyRun(); run.Status != MapRunAborted {
		t.Fatalf("run status = %s", run.Status)
	}
}
