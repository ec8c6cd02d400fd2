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
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// Result is how an execution ended.
type Result struct {
	Status, Output, Error, Cause string
	// Elapsed is the virtual time from start to end (VirtualTime only).
	Elapsed time.Duration
	History []string
}

// Target runs a scenario somewhere: in-process, in containers, on AWS.
type Target interface {
	Run(t testing.TB, s *Scenario) (Result, error)
}

// InProcess runs scenarios on an emulator started inside the test.
type InProcess struct{}

// The sample worker's identity in the template.
const (
	workerThing  = "mqtt-container-client"
	workerPolicy = "OnPremContainer"
)

// Run implements Target.
func (InProcess) Run(t testing.TB, s *Scenario) (Result, error) {
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
	startWorker(srv, s.Worker)
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
	d, err := waitEnd(ctx, srv, c, exec)
	if err != nil {
		return Result{}, err
	}
	r := Result{Status: string(d.Status), Output: aws.ToString(d.Output), Error: aws.ToString(d.Error), Cause: aws.ToString(d.Cause)}
	if srv.Clock != nil {
		r.Elapsed = srv.Clock.Now().Sub(t0)
	}
	r.History, err = historyTypes(ctx, c, exec)
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

func startWorker(srv *emulatortest.Server, mode string) {
	var h worker.Handler
	switch mode {
	case "run":
		h = worker.DefaultHandler()
	case "silent":
		h = worker.HandlerFunc(func(ctx context.Context, _ jobwire.Job) (json.RawMessage, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		})
	default:
		return
	}
	srv.StartWorker(worker.Config{ClientID: workerThing, SubscribeTopic: "tenant1/to/worker", SubmitTopic: "tenant1/to/lambda"}, workerPolicy, h)
}

// quietPolls is how many consecutive polls (1 ms apart) must see no new
// history event before virtual time jumps to the next timer: the system is
// then waiting on time, not on work in flight.
const quietPolls = 25

// waitEnd waits for the execution to end. On virtual time it advances the
// fake clock to the next timer whenever the execution has gone quiet.
func waitEnd(ctx context.Context, srv *emulatortest.Server, c *sfn.Client, arn string) (*sfn.DescribeExecutionOutput, error) {
	deadline := time.Now().Add(30 * time.Second)
	lastLen, quiet := -1, 0
	for time.Now().Before(deadline) {
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return nil, fmt.Errorf("describe execution: %w", err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d, nil
		}
		if srv.Clock != nil {
			h, err := historyTypes(ctx, c, arn)
			if err != nil {
				return nil, err
			}
			if len(h) == lastLen {
				quiet++
			} else {
				lastLen, quiet = len(h), 0
			}
			if quiet >= quietPolls && srv.Clock.AdvanceToNext() {
				quiet = 0
			}
		}
		time.Sleep(time.Millisecond) // polling interval
	}
	return nil, fmt.Errorf("execution %s still running after 30s", arn)
}

func historyTypes(ctx context.Context, c *sfn.Client, arn string) ([]string, error) {
	var out []string
	p := sfn.NewGetExecutionHistoryPaginator(c, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get execution history: %w", err)
		}
		for _, e := range page.Events {
			out = append(out, string(e.Type))
		}
	}
	return out, nil
}
