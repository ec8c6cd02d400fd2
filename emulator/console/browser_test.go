package console_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/chromedp/chromedp"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// The console in a real browser: Debian's chromium, headless, driven by
// chromedp. `make tools` installs chromium; without it the test is
// skipped, saying so. Screenshots go to $STEPWIRE_SCREENSHOTS, or a
// directory under the system's temp dir, and are named in the log.

// stepWait bounds each wait for the page; generous for a loaded CI.
const stepWait = 45 * time.Second

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (make tools installs it): the browser tests need it")
	return ""
}

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("STEPWIRE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "stepwire-console-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBrowser starts a headless chromium for the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// run runs browser actions within stepWait.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepWait)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		shot(t, ctx, "failed-"+what)
		t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

// until polls a JavaScript condition in the page.
// A poll cut short by a navigation (a form's POST and redirect) starts
// again on the new page, within the same bound.
func until(js string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(stepWait)
		for {
			poll := chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline)))
			_, err := poll(ctx, t)
			if err == nil || ctx.Err() != nil || !navigating(err) || time.Now().After(deadline) {
				return chromedp.Void{}, err
			}
		}
	}
}

// navigating reports the errors of a page going away under a poll.
func navigating(err error) bool {
	for _, s := range []string{"navigated", "context was destroyed", "Cannot find context"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

// eval runs JavaScript for its effect.
func eval(js string) chromedp.Action[chromedp.Void] { return void(chromedp.Evaluate[any](js)) }

func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(screenshotDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// gatedWorker runs the sample's add job; an input with "gate" waits for
// release first, one with "hang" until the job is cancelled (reporting
// its "progress" first, when the input has one).
func gatedWorker(t *testing.T, srv *emulatortest.Server, release <-chan struct{}) {
	h := worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		var in map[string]any
		_ = json.Unmarshal(job.Input, &in)
		if in["hang"] != nil {
			if msg, ok := in["progress"].(string); ok {
				if err := worker.ReportPercent(ctx, 40, msg); err != nil {
					return nil, err
				}
			}
			<-ctx.Done()
			return nil, ctx.Err()
		}
		if in["gate"] != nil {
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return worker.Add(ctx, job)
	})
	srv.StartWorker(worker.Config{ClientID: "mqtt-container-client", SubscribeTopic: "tenant1/to/worker", SubmitTopic: "tenant1/to/lambda"},
		"OnPremContainer", h)
}

// heartbeatMachine creates a copy of the template's state machine whose
// Task has HeartbeatSeconds 60 (and asks the worker for no heartbeats, so
// a hung job lets the heartbeat clock run down), and returns its ARN.
func heartbeatMachine(t *testing.T, c *sfn.Client) string {
	t.Helper()
	ctx := context.Background()
	sm, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machineArn)})
	if err != nil {
		t.Fatal(err)
	}
	def := aws.ToString(sm.Definition)
	hb := strings.Replace(def, `"End": true`, `"HeartbeatSeconds": 60, "End": true`, 1)
	if hb == def {
		t.Fatalf("the template's definition has no ending Task to give a heartbeat to:\n%s", def)
	}
	out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("HeartbeatWatched"),
		Definition: aws.String(hb), RoleArn: sm.RoleArn})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.StateMachineArn)
}

// heartbeatLeft reads the countdown of the waiting task, in seconds, as
// the page shows it ("57s"); -1 without one.
const heartbeatLeft = `(() => { const el = document.getElementById("heartbeat-left");
	const m = el && /^(\d+)s$/.exec(el.textContent.trim()); return m ? Number(m[1]) : -1 })()`

const dispatchState = `g.state[data-state="Dispatch Job to On-Premises"]`

// startFromConsole fills the start form of the executions page (checking
// the JSON validation on the way) and submits it.
func startFromConsole(t *testing.T, ctx context.Context, base, input string) {
	t.Helper()
	setInput := func(v string) chromedp.Action[chromedp.Void] {
		b, _ := json.Marshal(v)
		return eval(`(() => { const a = document.getElementById("start-input"); a.value = ` + string(b) +
			`; a.dispatchEvent(new Event("input")); return true })()`)
	}
	run(t, ctx, "open the start form",
		chromedp.Navigate(base+"/console/executions?machine="+url.QueryEscape(machineArn)),
		chromedp.Click(chromedp.CSS(`#start-card summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#start-input`)),
		setInput(`{"a": `),
		until(`document.getElementById("start-button").disabled && document.getElementById("start-input-error").textContent !== ""`),
		setInput(input),
		until(`!document.getElementById("start-button").disabled`),
		chromedp.Click(chromedp.CSS(`#start-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#exec-status`)),
	)
}

func TestConsoleInBrowser(t *testing.T) {
	chromium(t)
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	release := make(chan struct{})
	gatedWorker(t, srv, release)
	base := srv.Endpoints().HTTP
	ctx := newBrowser(t)

	t.Run("the sample run goes green live", func(t *testing.T) {
		startFromConsole(t, ctx, base, `{"a": 15, "b": 42, "gate": true}`)
		run(t, ctx, "see the task running and waiting",
			chromedp.WaitVisible(chromedp.CSS(dispatchState+`.st-running`)),
			chromedp.WaitVisible(chromedp.CSS(`#waiting`)),
			until(`document.body.dataset.live === "on"`),
			eval(`window.__notReloaded = true`))
		shot(t, ctx, "execution-running")
		close(release)
		run(t, ctx, "see it succeed without a reload",
			until(`document.getElementById("exec-status").textContent === "SUCCEEDED" && window.__notReloaded === true`),
			chromedp.WaitVisible(chromedp.CSS(dispatchState+`.st-succeeded`)),
			until(`document.getElementById("exec-output").textContent.includes('"result": 57')`))
		shot(t, ctx, "execution-succeeded")
	})

	t.Run("a failed execution shows its failed state and error", func(t *testing.T) {
		startFromConsole(t, ctx, base, `{"a": "fifteen", "b": 42}`)
		defer func() {
			if t.Failed() {
				for _, m := range srv.Emulator.IoT.RecentMessages() {
					t.Logf("message %s %s", m.Topic, m.Preview)
				}
			}
		}()
		run(t, ctx, "see it fail",
			until(`document.getElementById("exec-status").textContent === "FAILED"`),
			chromedp.WaitVisible(chromedp.CSS(dispatchState+`.st-failed`)),
			until(`document.getElementById("exec-error").textContent.includes("InvalidInput")`))
		shot(t, ctx, "execution-failed")
	})

	t.Run("stop from the console ends the execution", func(t *testing.T) {
		startFromConsole(t, ctx, base, `{"a": 1, "b": 2, "hang": true}`)
		run(t, ctx, "stop it",
			chromedp.WaitVisible(chromedp.CSS(`#waiting`)),
			chromedp.Click(chromedp.CSS(`#stop-button`)),
			until(`document.getElementById("exec-status") && document.getElementById("exec-status").textContent === "ABORTED"`),
			chromedp.WaitVisible(chromedp.CSS(dispatchState+`.st-failed`)))
		shot(t, ctx, "execution-stopped")
	})

	t.Run("a hung worker's task shows its heartbeat countdown", func(t *testing.T) {
		c := sfn.NewFromConfig(srv.AWSConfig())
		arn := heartbeatMachine(t, c)
		out, err := c.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn),
			Name: aws.String("hung-worker"), Input: aws.String(`{"a": 1, "b": 2, "hang": true, "progress": "reading sensors"}`)})
		if err != nil {
			t.Fatal(err)
		}
		execArn := aws.ToString(out.ExecutionArn)
		defer func() { // the cancel path ends the hung job
			_, _ = c.StopExecution(context.Background(), &sfn.StopExecutionInput{ExecutionArn: aws.String(execArn)})
		}()
		run(t, ctx, "see the task waiting with its progress",
			chromedp.Navigate(base+"/console/execution?arn="+url.QueryEscape(execArn)),
			chromedp.WaitVisible(chromedp.CSS(dispatchState+`.st-running`)),
			chromedp.WaitVisible(chromedp.CSS(`#waiting`)),
			until(`document.body.dataset.live === "on"`),
			// The progress report arrives live (it moves the heartbeat
			// deadline too, which the page then shows).
			until(`(document.getElementById("progress") || {textContent: ""}).textContent.includes("reading sensors")`),
			until(`document.getElementById("progress").textContent.includes("40%")`),
			until(`document.getElementById("waiting").textContent.includes("every 60 s")`),
			until(`document.getElementById("waiting").textContent.includes("times out at")`))
		// The server's time left is within the 60 s heartbeat, and the page
		// counts it down.
		var first int
		run(t, ctx, "see the countdown",
			until(`(() => { const el = document.getElementById("heartbeat-left");
				const ms = el ? Number(el.dataset.leftMs) : -1; return ms > 0 && ms <= 60000 })()`),
			until(heartbeatLeft+` > 0 && `+heartbeatLeft+` <= 60`),
			func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				n, err := chromedp.Evaluate[int](heartbeatLeft)(ctx, tg)
				first = n
				return chromedp.Void{}, err
			})
		if first <= 0 || first > 60 {
			t.Fatalf("the heartbeat countdown shows %ds, want 1 to 60 s", first)
		}
		run(t, ctx, "see the countdown go down",
			until(fmt.Sprintf(`(() => { const n = %s; return n > 0 && n < %d })()`, heartbeatLeft, first)))
		shot(t, ctx, "execution-heartbeat-countdown")
	})

	t.Run("the MQTT views show the job and the result", func(t *testing.T) {
		run(t, ctx, "messages",
			chromedp.Navigate(base+"/console/iot/messages?filter="+url.QueryEscape("tenant1/#")),
			until(`document.getElementById("messages").textContent.includes("tenant1/to/worker")`),
			until(`document.getElementById("messages").textContent.includes("tenant1/to/lambda")`),
			until(`document.getElementById("messages").textContent.includes("OnPremContainer")`))
		shot(t, ctx, "mqtt-messages")
		run(t, ctx, "clients",
			chromedp.Navigate(base+"/console/iot/clients"),
			until(`document.getElementById("clients").textContent.includes("mqtt-container-client")`),
			until(`document.getElementById("clients").textContent.includes("tenant1/to/worker")`))
		shot(t, ctx, "mqtt-clients")
		run(t, ctx, "rules",
			chromedp.Navigate(base+"/console/iot/rules"),
			until(`document.getElementById("rule-runs").textContent.includes("LambdaAction")`))
		shot(t, ctx, "rules")
		run(t, ctx, "state machines", chromedp.Navigate(base+"/console/"),
			until(`document.getElementById("machines").textContent.includes("MqttBasedStateMachine")`))
		shot(t, ctx, "state-machines")
	})
	if t.Failed() {
		t.Log(errors.New("see the screenshots named above"))
	}
}
