package procenv

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/lambdaemu/fnlog"
)

// testFn builds testdata/fn once per test binary: a bootstrap that speaks
// the Runtime API through aws-lambda-go.
var testFn = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "procenv-fn")
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", out, "./testdata/fn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", errors.New(string(b))
	}
	return out, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if p, err := testFn(); err == nil {
		_ = os.RemoveAll(filepath.Dir(p))
	}
	os.Exit(code)
}

func newPool(t *testing.T, mod func(*Spec)) (*Pool, *fnlog.Book) {
	t.Helper()
	bin, err := testFn()
	if err != nil {
		t.Fatalf("build test function: %v", err)
	}
	book := fnlog.NewBook(nil)
	spec := Spec{Name: "fn", ARN: "arn:aws:lambda:us-east-1:123456789012:function:fn", Command: []string{bin},
		Dir: t.TempDir(), Env: []string{"AWS_LAMBDA_FUNCTION_NAME=fn", "MY_VAR=hello"}, Timeout: 3 * time.Second,
		MemoryMB: 128, Log: book}
	if mod != nil {
		mod(&spec)
	}
	p := New(spec)
	t.Cleanup(p.Close)
	return p, book
}

func invoke(t *testing.T, p *Pool, payload string) (Result, map[string]any) {
	t.Helper()
	r, err := p.Invoke(context.Background(), []byte(payload))
	if err != nil {
		t.Fatalf("invoke %s: %v", payload, err)
	}
	var m map[string]any
	_ = json.Unmarshal(r.Payload, &m)
	return r, m
}

// docs/lambda.md §2.1: an environment is reused warm; a new one runs the
// init phase again, and the REPORT of its first invocation says how long
// init took.
func TestWarmReuse(t *testing.T) {
	p, book := newPool(t, nil)
	_, a := invoke(t, p, `{"op":"pid"}`)
	_, b := invoke(t, p, `{"op":"pid"}`)
	if a["pid"] == nil || a["pid"] != b["pid"] {
		t.Fatalf("pids %v, %v: want one warm environment", a["pid"], b["pid"])
	}
	if n := p.Environments(); n != 1 {
		t.Fatalf("environments = %d, want 1", n)
	}
	var reports []string
	for _, l := range book.Lines("fn") {
		if strings.HasPrefix(l, "REPORT ") {
			reports = append(reports, l)
		}
	}
	if len(reports) != 2 || !strings.Contains(reports[0], "Init Duration: ") || strings.Contains(reports[1], "Init Duration") {
		t.Fatalf("REPORT lines: want Init Duration on the first only: %q", reports)
	}
}

// docs/lambda.md §1.3: the invocation's failure modes, as the caller sees
// them.
func TestFailures(t *testing.T) {
	tests := []struct {
		name, payload string
		spec          func(*Spec)
		errType       string
		msg           string // substring of errorMessage
		freshEnv      bool   // the next invocation runs on a new process
	}{
		{"handler error", `{"op":"error"}`, nil, "errorString", "something failed", false},
		// aws-lambda-go reports a panic and then exits the process, so
		// the next invocation starts a fresh environment, as on AWS.
		{"panic", `{"op":"panic"}`, nil, "string", "boom", true},
		{"crash", `{"op":"exit"}`, nil, "Runtime.ExitError", "Runtime exited with error: exit status 3", true},
		{"timeout", `{"op":"sleep","ms":5000}`, func(s *Spec) { s.Timeout = 300 * time.Millisecond },
			"Sandbox.Timedout", "Error: Task timed out after 0.30 seconds", true},
		// The runtime's POST of the response is refused; whether the
		// environment lives on is the runtime's affair (aws-lambda-go's
		// may exit on the refusal, or already be back on /next), so the
		// environment count is not checked.
		{"response too large", `{"op":"big","bytes":6300000}`, nil, "Function.ResponseSizeTooLarge",
			"Response payload size exceeded maximum allowed payload size (6291556 bytes).", false},
		{"init error", `{"op":"pid"}`, func(s *Spec) { s.Env = append(s.Env, "FAIL_INIT=cannot start") },
			"InitFailed", "cannot start", true},
		{"no entrypoint", `{}`, func(s *Spec) { s.Command = []string{"/nonexistent/bootstrap"} },
			"Runtime.InvalidEntrypoint", "no such file", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newPool(t, tt.spec)
			r, m := invoke(t, p, tt.payload)
			if !r.FunctionError || m["errorType"] != tt.errType || !strings.Contains(m["errorMessage"].(string), tt.msg) {
				t.Fatalf("result %s (function error %v): want errorType %s, message with %q", r.Payload, r.FunctionError, tt.errType, tt.msg)
			}
			switch {
			case tt.name == "response too large":
			case tt.freshEnv:
				waitFor(t, func() bool { return p.Environments() == 0 }) // the process's end is noticed soon after
			case p.Environments() != 1:
				t.Fatalf("environments after the failure = %d; want the environment kept", p.Environments())
			}
		})
	}
}

// A crashed environment is replaced by a fresh one on the next invocation.
func TestCrashThenFresh(t *testing.T) {
	p, _ := newPool(t, nil)
	_, a := invoke(t, p, `{"op":"pid"}`)
	invoke(t, p, `{"op":"exit"}`)
	r, b := invoke(t, p, `{"op":"pid"}`)
	if r.FunctionError || b["pid"] == nil || b["pid"] == a["pid"] {
		t.Fatalf("after a crash: %s, want a new process (was pid %v)", r.Payload, a["pid"])
	}
}

// docs/lambda.md §2.2: the variables Lambda sets, the function's own, and
// the Runtime API's address; the deadline is the Timeout away.
func TestEnvironment(t *testing.T) {
	p, _ := newPool(t, nil)
	_, m := invoke(t, p, `{"op":"env"}`)
	env, _ := m["env"].(map[string]any)
	if env["MY_VAR"] != "hello" || env["AWS_LAMBDA_FUNCTION_NAME"] != "fn" || !strings.HasPrefix(env["AWS_LAMBDA_RUNTIME_API"].(string), "127.0.0.1:") {
		t.Fatalf("environment %v", env)
	}
	if m["arn"] != "arn:aws:lambda:us-east-1:123456789012:function:fn" || len(m["requestId"].(string)) != 36 {
		t.Fatalf("context: arn %v, request id %v", m["arn"], m["requestId"])
	}
	if ms := m["deadlineInMs"].(float64); ms < 2000 || ms > 3000 {
		t.Fatalf("deadline in %v ms, want about the 3 s Timeout", ms)
	}
}

// busyPool starts two invocations that hold the pool's two environments
// for 1.5 s, and returns their pids once both run.
func busyPool(t *testing.T, p *Pool) (pids func() []any) {
	t.Helper()
	var wg sync.WaitGroup
	got := make([]any, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := p.Invoke(context.Background(), []byte(`{"op":"sleep","ms":1500}`))
			if err == nil {
				var m map[string]any
				_ = json.Unmarshal(r.Payload, &m)
				got[i] = m["pid"]
			}
		}()
	}
	waitFor(t, func() bool { return p.Environments() == 2 })
	return func() []any {
		wg.Wait()
		return got
	}
}

// docs/lambda.md §2.1: busy environments are not shared; past the
// function's reserved concurrency the invocation is throttled.
func TestReservedConcurrencyThrottles(t *testing.T) {
	two := 2
	p, _ := newPool(t, func(s *Spec) { s.Reserved = &two })
	pids := busyPool(t, p)
	if _, err := p.Invoke(context.Background(), []byte(`{"op":"pid"}`)); !errors.Is(err, ErrTooManyRequests) {
		t.Fatalf("third concurrent invoke: err %v, want ErrTooManyRequests", err)
	}
	if got := pids(); got[0] == nil || got[0] == got[1] {
		t.Fatalf("pids %v: want two environments", got)
	}
	zero := 0
	p0, _ := newPool(t, func(s *Spec) { s.Reserved = &zero })
	if _, err := p0.Invoke(context.Background(), []byte(`{"op":"pid"}`)); !errors.Is(err, ErrTooManyRequests) {
		t.Fatalf("reserved 0: err %v, want ErrTooManyRequests", err)
	}
}

// The emulator's own cap on processes (MaxEnvironments) is not an AWS
// limit: an invocation past it waits for a busy environment to come free,
// and runs there, rather than being throttled; one whose context ends
// first returns its error.
func TestProcessCapWaits(t *testing.T) {
	p, _ := newPool(t, func(s *Spec) { s.MaxEnvironments = 2 })
	pids := busyPool(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Invoke(ctx, []byte(`{"op":"pid"}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("invoke with a short context past the cap: err %v, want its deadline", err)
	}
	r, err := p.Invoke(context.Background(), []byte(`{"op":"pid"}`))
	if err != nil {
		t.Fatalf("third concurrent invoke: %v, want it to wait and run", err)
	}
	var m map[string]any
	_ = json.Unmarshal(r.Payload, &m)
	got := pids()
	if m["pid"] != got[0] && m["pid"] != got[1] {
		t.Fatalf("third invoke ran in pid %v, want one of the two environments %v", m["pid"], got)
	}
	if n := p.Environments(); n > 2 {
		t.Fatalf("%d environments, want at most 2", n)
	}
}

// docs/lambda.md §2.1: an idle environment is reaped.
func TestIdleReaping(t *testing.T) {
	p, _ := newPool(t, func(s *Spec) { s.IdleTimeout = 50 * time.Millisecond })
	_, m := invoke(t, p, `{"op":"pid"}`)
	waitFor(t, func() bool { return p.Environments() == 0 })
	waitFor(t, func() bool { return !alive(int(m["pid"].(float64))) })
}

// No function process outlives the pool: Close kills a busy one.
func TestCloseKillsProcesses(t *testing.T) {
	p, _ := newPool(t, nil)
	_, m := invoke(t, p, `{"op":"pid"}`)
	done := make(chan Result, 1)
	go func() {
		r, _ := p.Invoke(context.Background(), []byte(`{"op":"sleep","ms":60000}`))
		done <- r
	}()
	waitFor(t, func() bool { p.mu.Lock(); defer p.mu.Unlock(); return len(p.idle) == 0 })
	p.Close()
	if alive(int(m["pid"].(float64))) {
		t.Fatal("function process alive after Close")
	}
	if r := <-done; !r.FunctionError {
		t.Fatalf("in-flight invocation after Close: %s, want Runtime.ExitError", r.Payload)
	}
	if _, err := p.Invoke(context.Background(), []byte(`{}`)); !errors.Is(err, ErrClosed) {
		t.Fatalf("invoke after Close: %v, want ErrClosed", err)
	}
}

// docs/lambda.md §4: the function's output between START and END/REPORT,
// in the function's log and in the invocation's tail.
func TestLogFrame(t *testing.T) {
	p, book := newPool(t, nil)
	r, _ := invoke(t, p, `{"op":"pid"}`)
	tail := string(r.LogTail)
	for _, want := range []string{"START RequestId: ", " Version: $LATEST", "END RequestId: ", "REPORT RequestId: ", "\tMemory Size: 128 MB\t"} {
		if !strings.Contains(tail, want) {
			t.Errorf("tail %q lacks %q", tail, want)
		}
	}
	waitFor(t, func() bool { return strings.Contains(strings.Join(book.Lines("fn"), "\n"), "handling pid") })
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
