package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane/types"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// scriptedSource plays a fixed list of updates, then waits for ctx.
type scriptedSource struct{ updates [][]taskProgress }

func (s scriptedSource) Snapshot(context.Context) ([]taskProgress, error) { return nil, nil }

func (s scriptedSource) Watch(ctx context.Context, update func([]taskProgress)) error {
	for _, u := range s.updates {
		update(u)
	}
	<-ctx.Done()
	return nil
}

// lockedWriter is a buffer safe to write from the watcher's goroutine.
type lockedWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func report(ref string, pct float64, msg string, at int) taskProgress {
	return taskProgress{Topic: "p/" + ref, TaskRef: ref, OK: true,
		Report: jobwire.ProgressReport{Percent: &pct, Message: msg}, Updated: time.Unix(int64(at), 0)}
}

// played runs showProgress over updates and returns what it wrote.
func played(t *testing.T, tty bool, updates ...[]taskProgress) string {
	t.Helper()
	var w lockedWriter
	stop := showProgress(context.Background(), scriptedSource{updates}, &w, tty)
	stop()
	return w.b.String()
}

func TestShowProgress(t *testing.T) {
	a10, a20, b50 := report("aaa", 10, "ten", 1), report("aaa", 20, "twenty", 2), report("bbb", 50, "half", 3)
	stamp := func(s string) string { return s[len("15:04:05.000  "):] }

	t.Run("plain lines, only on change", func(t *testing.T) {
		out := played(t, false, []taskProgress{a10}, []taskProgress{a10}, []taskProgress{a20, b50}, nil)
		var got []string
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			got = append(got, stamp(l))
		}
		want := []string{
			"progress aaa  [##                  ]  10.0% ten",
			"progress aaa  [####                ]  20.0% twenty",
			"progress bbb  [##########          ]  50.0% half",
			"progress aaa  ended",
			"progress bbb  ended",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("terminal line redrawn, latest task, erased at the end", func(t *testing.T) {
		got := played(t, true, []taskProgress{a10}, []taskProgress{a20, b50})
		want := "\rprogress [##                  ]  10.0% ten\x1b[K" +
			"\rprogress (2 tasks) [##########          ]  50.0% half\x1b[K" +
			"\r\x1b[K"
		if got != want {
			t.Fatalf("terminal output %q, want %q", got, want)
		}
	})
	t.Run("nothing without progress", func(t *testing.T) {
		for _, tty := range []bool{false, true} {
			if got := played(t, tty, nil, nil); got != "" {
				t.Fatalf("tty=%v: wrote %q", tty, got)
			}
		}
	})
}

// fakeRetained serves ListRetainedMessages in pages of two and counts
// GetRetainedMessage calls.
type fakeRetained struct {
	topics   []string
	modified map[string]int64
	payloads map[string]string
	gets     int
	lists    int
}

func (f *fakeRetained) ListRetainedMessages(_ context.Context, in *iotdataplane.ListRetainedMessagesInput, _ ...func(*iotdataplane.Options)) (*iotdataplane.ListRetainedMessagesOutput, error) {
	f.lists++
	start := 0
	fmt.Sscan(aws.ToString(in.NextToken), &start)
	out := &iotdataplane.ListRetainedMessagesOutput{}
	for i := start; i < len(f.topics) && i < start+2; i++ {
		out.RetainedTopics = append(out.RetainedTopics, types.RetainedMessageSummary{Topic: aws.String(f.topics[i]),
			LastModifiedTime: f.modified[f.topics[i]]})
	}
	if start+2 < len(f.topics) {
		out.NextToken = aws.String(fmt.Sprint(start + 2))
	}
	return out, nil
}

func (f *fakeRetained) GetRetainedMessage(_ context.Context, in *iotdataplane.GetRetainedMessageInput, _ ...func(*iotdataplane.Options)) (*iotdataplane.GetRetainedMessageOutput, error) {
	f.gets++
	t := aws.ToString(in.Topic)
	return &iotdataplane.GetRetainedMessageOutput{Topic: in.Topic, Payload: []byte(f.payloads[t]), LastModifiedTime: f.modified[t]}, nil
}

// The retained source keeps the execution's progress reports (by executionArn, not
// only by topic), follows pages, and reads a report again only when its
// lastModifiedTime changes.
func TestPollSourceSnapshot(t *testing.T) {
	const arn = "arn:aws:states:us-east-1:123456789012:execution:sm:run+1"
	prefix := jobwire.ProgressPrefix("r", arn) // r/progress/run_1/
	clash := "arn:aws:states:us-east-1:123456789012:execution:sm:run_1"
	msg := func(exec string, pct int) string {
		b, _ := json.Marshal(jobwire.Result{Version: 1, TaskToken: "t", Kind: jobwire.KindProgress, ExecutionArn: exec,
			JobID: "j", Progress: json.RawMessage(fmt.Sprintf(`{"percent":%d}`, pct))})
		return string(b)
	}
	f := &fakeRetained{
		topics:   []string{"other/x", prefix + "aaa", prefix + "bbb", prefix + "ccc", "r/progress/zzz/ddd"},
		modified: map[string]int64{prefix + "aaa": 1, prefix + "bbb": 1, prefix + "ccc": 1},
		payloads: map[string]string{prefix + "aaa": msg(arn, 10), prefix + "bbb": msg(clash, 99), prefix + "ccc": `not json`},
	}
	src := newRetainedSource(f, "r", arn)
	ps, err := src.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].TaskRef != "aaa" || ps[0].JobID != "j" || *ps[0].Report.Percent != 10 {
		t.Fatalf("snapshot %+v, want aaa at 10%%", ps)
	}
	if f.gets != 3 {
		t.Fatalf("%d gets, want 3", f.gets)
	}
	f.payloads[prefix+"aaa"], f.modified[prefix+"aaa"] = msg(arn, 20), 2
	ps, _ = src.Snapshot(context.Background())
	if f.gets != 4 || len(ps) != 1 || *ps[0].Report.Percent != 20 {
		t.Fatalf("after one report changed: %d gets (want 4), snapshot %+v", f.gets, ps)
	}
}

// One snapshot reads at most maxRetainedPages pages and fetches at most
// maxProgressTasks reports, however many messages the broker retains.
func TestPollSourceIsBounded(t *testing.T) {
	const arn = "arn:aws:states:us-east-1:123456789012:execution:sm:e"
	f := &fakeRetained{modified: map[string]int64{}, payloads: map[string]string{}}
	for i := range 1000 {
		f.topics = append(f.topics, fmt.Sprintf("%s%04d", jobwire.ProgressPrefix("r", arn), i))
	}
	if _, err := newRetainedSource(f, "r", arn).Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.lists != maxRetainedPages || f.gets != maxProgressTasks {
		t.Fatalf("%d list pages and %d gets, want %d and %d", f.lists, f.gets, maxRetainedPages, maxProgressTasks)
	}
}
