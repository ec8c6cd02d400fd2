package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator"
)

// The store BenchmarkRestartExecutions reopens: restartClosedMachines
// machines with restartClosedEach closed executions each (the default
// retention keeps 1,000 a machine), and restartRunning executions waiting
// on an activity task whose token a worker holds.
const (
	restartClosedMachines = 9
	restartClosedEach     = 1000
	restartRunning        = 1000
	restartClients        = 16
)

// BenchmarkRestartExecutions fills a durable emulator, through the Step
// Functions API, with 10,000 executions, 1,000 of them RUNNING (waiting on
// an activity task handed out), closes it, and times a new one on the
// same data dir until it is ready: started, its executions rebuilt, and a
// SendTaskSuccess with a token handed out before the restart accepted
// (docs/durability.md §5; the bar is 1 s).
func BenchmarkRestartExecutions(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	e := startDurable(b, dir)
	c := benchSFN(e)
	tokens := seedExecutions(b, ctx, c)
	if err := e.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		begin := time.Now()
		e := startDurable(b, dir)
		c := benchSFN(e)
		_, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tokens[i]), Output: aws.String(`{}`)})
		ready := time.Since(begin)
		i++
		b.StopTimer()
		if err != nil {
			e.Close()
			b.Fatalf("SendTaskSuccess after the restart: %v", err)
		}
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(dir, emulator.StateFile))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(ms(ready), "restart_ms")
		fmt.Printf("restart_executions_ms=%.1f (executions=%d running=%d) restart_executions_state_file_mb=%.1f\n",
			ms(ready), restartClosedMachines*restartClosedEach+restartRunning, restartRunning, float64(st.Size())/(1<<20))
		b.StartTimer()
	}
}

// seedExecutions runs restartClosedEach executions of each of
// restartClosedMachines Pass machines to their end, and starts
// restartRunning executions of an activity task, taking each task. It
// returns the tokens handed out.
func seedExecutions(b *testing.B, ctx context.Context, c *sfn.Client) []string {
	b.Helper()
	role := aws.String("arn:aws:iam::123456789012:role/r")
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("restart-work")})
	if err != nil {
		b.Fatal(err)
	}
	waiting, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("waiting"), RoleArn: role,
		Definition: aws.String(`{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` +
			aws.ToString(act.ActivityArn) + `","End":true}}}`)})
	if err != nil {
		b.Fatal(err)
	}
	var starts []*string // the machine of each execution to start
	for m := range restartClosedMachines {
		sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("done-%d", m)), RoleArn: role,
			Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}`)})
		if err != nil {
			b.Fatal(err)
		}
		for range restartClosedEach {
			starts = append(starts, sm.StateMachineArn)
		}
	}
	for range restartRunning {
		starts = append(starts, waiting.StateMachineArn)
	}
	tokens := make([]string, 0, restartRunning)
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	for range restartClients {
		wg.Go(func() {
			for n := next.Add(1) - 1; n < int64(len(starts)) && !b.Failed(); n = next.Add(1) - 1 {
				_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: starts[n], Input: aws.String(`{"n":1}`)})
				if err != nil {
					b.Error(err)
					return
				}
				if starts[n] != waiting.StateMachineArn {
					continue
				}
				task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
				if err != nil || aws.ToString(task.TaskToken) == "" {
					b.Errorf("activity task: %v", err)
					return
				}
				mu.Lock()
				tokens = append(tokens, aws.ToString(task.TaskToken))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	waitClosed(b, ctx, c, restartClosedMachines*restartClosedEach)
	return tokens
}

// waitClosed polls until n executions have succeeded, in a bounded time.
func waitClosed(b *testing.B, ctx context.Context, c *sfn.Client, n int) {
	b.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		count := 0
		for m := range restartClosedMachines {
			arn := fmt.Sprintf("arn:aws:states:us-east-1:123456789012:stateMachine:done-%d", m)
			p := sfn.NewListExecutionsPaginator(c, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn),
				StatusFilter: sfntypes.ExecutionStatusSucceeded, MaxResults: 1000})
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				count += len(out.Executions)
			}
		}
		if count >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d executions succeeded within a minute", count, n)
		}
		time.Sleep(10 * time.Millisecond) // polling the executions' ends
	}
}

func benchSFN(e *emulator.Emulator) *sfn.Client {
	return sfn.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(e.Endpoints().HTTP),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}
