package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// Result is how an execution ended.
type Result struct {
	Status, Output, Error, Cause string
	// Elapsed is the virtual time from start to end (VirtualTime only).
	Elapsed time.Duration
	History []string
	// Transcript is the normalised history, one event per line (see
	// transcript), for golden-file comparison.
	Transcript string
}

// Target runs a scenario somewhere: in-process, in containers, on AWS.
type Target interface {
	Run(t testing.TB, s *Scenario) (Result, error)
}

// InProcess runs scenarios on an emulator started inside the test.
type InProcess struct {
	// handler, when set, replaces the handler the scenario's worker mode
	// names (tests of the runner itself).
	handler worker.Handler
	// onPoll, when set, is called on every poll of a running execution.
	onPoll func(*probe)
}

// The sample worker's identity in the template.
const (
	workerThing  = "mqtt-container-client"
	workerPolicy = "OnPremContainer"
)

// Run implements Target.
func (ip InProcess) Run(t testing.TB, s *Scenario) (Result, error) {
	opts := []emulatortest.Option{emulatortest.WithTemplate(s.TemplatePath())}
	if s.VirtualTime {
		opts = append(opts, emulatortest.WithFakeClock())
	}
	srv := emulatortest.New(t, opts...)
	c := sfn.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	arn, err := stateMachineArn(ctx, c, s)
	if err != nil {
		return Result{}, err
	}
	p := &probe{steps: srv.SFN.Driving}
	p.w = ip.startWorker(srv, s.Worker, p)
	if s.TemplatePath() != "" {
		ends := srv.Endpoints()
		tpl, err := template.Load(s.TemplatePath(), template.Options{Region: ends.Region, Account: ends.Account})
		if err != nil {
			return Result{}, err
		}
		workerTopic := ""
		if p.w != nil {
			workerTopic = jobTopic
		}
		p.wrapFunctions(srv, tpl, workerTopic)
	}
	input, err := s.InputJSON()
	if err != nil {
		return Result{}, err
	}
	var t0 time.Time
	if srv.Clock != nil {
		t0 = srv.Clock.Now()
	}
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(input)})
	if err != nil {
		return Result{}, fmt.Errorf("start execution: %w", err)
	}
	exec := aws.ToString(out.ExecutionArn)
	d, err := ip.waitEnd(ctx, srv, c, exec, p)
	if err != nil {
		return Result{}, err
	}
	r := Result{Status: string(d.Status), Output: aws.ToString(d.Output), Error: aws.ToString(d.Error), Cause: aws.ToString(d.Cause)}
	if srv.Clock != nil {
		r.Elapsed = srv.Clock.Now().Sub(t0)
	}
	if r.History, err = historyTypes(ctx, c, exec); err != nil {
		return r, err
	}
	r.Transcript, err = transcript(ctx, srv, exec)
	return r, err
}

func stateMachineArn(ctx context.Context, c *sfn.Client, s *Scenario) (string, error) {
	if s.Definition != "" {
		out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("scenario"),
			Definition: aws.String(s.Definition), RoleArn: aws.String("arn:aws:iam::123456789012:role/scenario")})
		if err != nil {
			return "", fmt.Errorf("create state machine: %w", err)
		}
		return aws.ToString(out.StateMachineArn), nil
	}
	list, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		return "", fmt.Errorf("list state machines: %w", err)
	}
	for _, sm := range list.StateMachines {
		if aws.ToString(sm.Name) == s.StateMachine {
			return aws.ToString(sm.StateMachineArn), nil
		}
	}
	return "", fmt.Errorf("state machine %s is not in the template", s.StateMachine)
}

// The sample worker's topics in the template.
const (
	jobTopic    = "tenant1/to/worker"
	resultTopic = "tenant1/to/lambda"
)

// startWorker starts the worker mode names, or none, and returns it.
func (ip InProcess) startWorker(srv *emulatortest.Server, mode string, p *probe) *worker.Worker {
	var h worker.Handler
	switch mode {
	case "run":
		h = worker.DefaultHandler()
	case "silent":
		h = worker.HandlerFunc(func(ctx context.Context, _ jobwire.Job) (json.RawMessage, error) {
			p.park(ctx)
			return nil, ctx.Err()
		})
	default:
		return nil
	}
	if ip.handler != nil {
		h = ip.handler
	}
	return srv.StartWorker(worker.Config{ClientID: workerThing, SubscribeTopic: jobTopic, SubmitTopic: resultTopic}, workerPolicy, h)
}

// waitEnd waits for the execution to end. On virtual time it advances the
// fake clock to the next timer when nothing the probe follows is in flight
// and the history has not changed since the previous poll: the system then
// waits on time, not on work (see probe for what it cannot see).
func (ip InProcess) waitEnd(ctx context.Context, srv *emulatortest.Server, c *sfn.Client, arn string, p *probe) (*sfn.DescribeExecutionOutput, error) {
	deadline := time.Now().Add(30 * time.Second)
	lastLen, waiting := -1, "nothing"
	for time.Now().Before(deadline) {
		if ip.onPoll != nil {
			ip.onPoll(p)
		}
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return nil, fmt.Errorf("describe execution: %w", err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d, nil
		}
		if srv.Clock != nil {
			// The counters must not change while the history is read, so
			// that both describe one moment.
			before := p.read()
			h, err := history(ctx, c, arn)
			if err != nil {
				return nil, err
			}
			after := p.read()
			switch {
			case before != after:
				waiting = "work in flight"
			case len(h) != lastLen:
				waiting = "a history that keeps changing"
			default:
				if waiting = p.pending(after, h); waiting == "" {
					if !srv.Clock.AdvanceToNext() {
						waiting = "a timer, and none is armed"
					}
				}
			}
			lastLen = len(h)
		}
		time.Sleep(time.Millisecond) // polling interval
	}
	return nil, fmt.Errorf("execution %s still running after 30s; last waiting for %s", arn, waiting)
}

func history(ctx context.Context, c *sfn.Client, arn string) ([]types.HistoryEvent, error) {
	var out []types.HistoryEvent
	p := sfn.NewGetExecutionHistoryPaginator(c, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get execution history: %w", err)
		}
		out = append(out, page.Events...)
	}
	return out, nil
}

func historyTypes(ctx context.Context, c *sfn.Client, arn string) ([]string, error) {
	h, err := history(ctx, c, arn)
	out := make([]string, len(h))
	for i, e := range h {
		out[i] = string(e.Type)
	}
	return out, err
}
