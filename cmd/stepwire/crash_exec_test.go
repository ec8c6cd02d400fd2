package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// The executions' crash test: the workload and what it was told.
const (
	crashRounds     = 5
	crashClients    = 3
	crashMaxAcks    = 80 // a round's kill comes after 1..crashMaxAcks acknowledged calls
	crashActivity   = "crash-work"
	crashActivityID = "arn:aws:states:us-east-1:123456789012:activity:" + crashActivity
	crashMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:"
)

// TestSIGKILLKeepsAcknowledgedExecutions SIGKILLs `stepwire up` at random
// points (seeded, logged) while three clients create state machines that
// wait on an activity task, start executions of them, take their tasks
// and send some task successes; starts it again on the same data dir each
// time and checks that every call answered before the kill has its effect
// (docs/durability.md §3, §6): the machines exist, the executions
// started exist, those whose SendTaskSuccess was answered are SUCCEEDED,
// the others RUNNING, and at the end each RUNNING one succeeds with its
// original task token.
func TestSIGKILLKeepsAcknowledgedExecutions(t *testing.T) {
	seed := rand.Uint64()
	if v := os.Getenv("STEPWIRE_CRASH_SEED"); v != "" { // to replay a failure
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("STEPWIRE_CRASH_SEED: %v", err)
		}
	}
	t.Logf("seed %d (STEPWIRE_CRASH_SEED replays it)", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	dir := t.TempDir()
	w := &execWorkload{execs: map[string]*execAck{}}
	for round := range crashRounds {
		cmd, api := startUpProcess(t, dir)
		c := noRetry(api.sfn)
		if err := w.verify(c); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d (seed %d), after restart: %v", round, seed, err)
		}
		if round == 0 {
			if _, err := c.CreateActivity(context.Background(), &sfn.CreateActivityInput{Name: aws.String(crashActivity)}); err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal(err)
			}
		}
		w.run(c, round, 1+rng.IntN(crashMaxAcks), rng.Uint64(), cmd)
		cmd.Wait()
	}
	cmd, api := startUpProcess(t, dir)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	c := noRetry(api.sfn)
	if err := w.verify(c); err != nil {
		t.Fatalf("after the last restart (seed %d): %v", seed, err)
	}
	if err := w.finish(c); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	t.Logf("%d state machines, %d executions (%d task successes answered) acknowledged across %d SIGKILLs; "+
		"at the end %d succeeded with a token taken again after a restart, %d stopped (their task handed out to an answer lost)",
		len(w.machines), len(w.execs), w.count(func(a *execAck) bool { return a.acked }), crashRounds,
		w.count(func(a *execAck) bool { return a.requeued }), w.count(func(a *execAck) bool { return a.stopped }))
}

// noRetry is c without the SDK's retries: a call is answered or fails
// once, so what it acknowledged is exact.
func noRetry(c *sfn.Client) *sfn.Client {
	o := c.Options()
	o.Retryer = aws.NopRetryer{}
	return sfn.New(o)
}

// execWorkload is what the emulator acknowledged, across rounds.
type execWorkload struct {
	mu       sync.Mutex
	machines []string            // names of the state machines created
	execs    map[string]*execAck // by execution name
	acks     int                 // calls answered in this round
	kill     int                 // the round's kill comes after this many
	once     *sync.Once
	cmd      *exec.Cmd
}

// execAck is what was acknowledged about one execution.
type execAck struct {
	arn               string
	token             string // from a GetActivityTask answered, else ""
	requeued, stopped bool   // finish took its token after the restarts, or stopped it
	sent              bool   // a SendTaskSuccess was sent (answered or not)
	acked             bool   // a SendTaskSuccess was answered
}

// ack counts an answered call and SIGKILLs the emulator at the round's
// count. w.mu is held.
func (w *execWorkload) ack() {
	w.acks++
	if w.acks >= w.kill {
		w.once.Do(func() { w.cmd.Process.Kill() })
	}
}

// run drives the round's load until the kill (or a bounded number of
// calls), then kills the emulator if it is still up.
func (w *execWorkload) run(c *sfn.Client, round, kill int, seed uint64, cmd *exec.Cmd) {
	w.acks, w.kill, w.once, w.cmd = 0, kill, &sync.Once{}, cmd
	var wg sync.WaitGroup
	for g := range crashClients {
		rng := rand.New(rand.NewPCG(seed, uint64(g)))
		wg.Go(func() {
			for i := range 40 { // bounded: the kill normally ends it first
				if err := w.step(c, rng, fmt.Sprintf("r%d-g%d-%d", round, g, i), i); err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	w.once.Do(func() { cmd.Process.Kill() })
}

// step makes one client's next calls: a state machine every tenth step
// (and the first), else an execution of a random machine, its task, and
// for about half of them a task success.
func (w *execWorkload) step(c *sfn.Client, rng *rand.Rand, name string, i int) error {
	ctx := context.Background()
	w.mu.Lock()
	machines := len(w.machines)
	w.mu.Unlock()
	if i%10 == 0 || machines == 0 {
		def := `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` + crashActivityID + `","End":true}}}`
		_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("m-" + name), Definition: aws.String(def),
			RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
		if err != nil {
			return err
		}
		w.mu.Lock()
		w.machines = append(w.machines, "m-"+name)
		w.ack()
		w.mu.Unlock()
		return nil
	}
	w.mu.Lock()
	machine := w.machines[rng.IntN(len(w.machines))]
	w.mu.Unlock()
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(crashMachineArn + machine),
		Name: aws.String("e-" + name), Input: aws.String(`{"Exec":"e-` + name + `"}`)})
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.execs["e-"+name] = &execAck{arn: aws.ToString(out.ExecutionArn)}
	w.ack()
	w.mu.Unlock()
	exec, token, err := takeTask(ctx, c, 10*time.Second)
	if err != nil || token == "" {
		return errors.Join(err, errors.New("no activity task"))
	}
	w.mu.Lock()
	a := w.execs[exec]
	if a != nil { // else started by a call whose answer the kill lost
		a.token = token
	}
	w.ack()
	w.mu.Unlock()
	if a == nil || rng.IntN(2) == 0 {
		return nil
	}
	w.mu.Lock()
	a.sent = true
	w.mu.Unlock()
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"ok":true}`)}); err != nil {
		return err
	}
	w.mu.Lock()
	a.acked = true
	w.ack()
	w.mu.Unlock()
	return nil
}

// takeTask takes the crash activity's next task, waiting up to within,
// and returns the name of its execution and its token; none when no task
// came.
func takeTask(ctx context.Context, c *sfn.Client, within time.Duration) (exec, token string, err error) {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(crashActivityID)})
	if err != nil || aws.ToString(task.TaskToken) == "" {
		return "", "", err
	}
	var in struct{ Exec string }
	_ = json.Unmarshal([]byte(aws.ToString(task.Input)), &in)
	return in.Exec, aws.ToString(task.TaskToken), nil
}

// verify checks, after a restart, that every acknowledged state machine
// and execution is there, each execution with the status its calls
// acknowledged.
func (w *execWorkload) verify(c *sfn.Client) error {
	ctx := context.Background()
	for _, m := range w.machines {
		if _, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(crashMachineArn + m)}); err != nil {
			return fmt.Errorf("acknowledged state machine %s lost: %w", m, err)
		}
	}
	for _, a := range w.execs {
		want := []sfntypes.ExecutionStatus{sfntypes.ExecutionStatusRunning}
		switch {
		case a.acked:
			want = []sfntypes.ExecutionStatus{sfntypes.ExecutionStatusSucceeded}
		case a.sent: // its answer was lost with the kill: either
			want = append(want, sfntypes.ExecutionStatusSucceeded)
		}
		if _, err := waitStatus(c, a.arn, want...); err != nil {
			return err
		}
	}
	return nil
}

// finish completes every RUNNING execution: with the token its task was
// handed out with before a kill, else with a token of its task queued
// again after the restart. A task handed out by a GetActivityTask whose
// answer the kill lost has no token left to the test (as on AWS, it
// waits for its worker): that execution is stopped. Each must end as
// told.
func (w *execWorkload) finish(c *sfn.Client) error {
	ctx := context.Background()
	untaken := map[string]*execAck{}
	for name, a := range w.execs {
		st, err := waitStatus(c, a.arn, sfntypes.ExecutionStatusRunning, sfntypes.ExecutionStatusSucceeded)
		if err != nil || st == sfntypes.ExecutionStatusSucceeded {
			continue
		}
		if a.token == "" {
			untaken[name] = a
			continue
		}
		if err := succeed(c, a); err != nil {
			return fmt.Errorf("execution %s, with its original token: %w", name, err)
		}
	}
	for len(untaken) > 0 {
		name, token, err := takeTask(ctx, c, time.Second)
		if err != nil || token == "" {
			break // none left: the rest were handed out to answers lost
		}
		if a := untaken[name]; a != nil {
			a.token, a.requeued = token, true
			delete(untaken, name)
			if err := succeed(c, a); err != nil {
				return fmt.Errorf("execution %s, with its task queued again: %w", name, err)
			}
		}
	}
	for name, a := range untaken {
		if err := handedOut(c, a.arn); err != nil {
			return fmt.Errorf("execution %s, no task to take: %w", name, err)
		}
		if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(a.arn)}); err != nil {
			return fmt.Errorf("stop %s: %w", name, err)
		}
		if _, err := waitStatus(c, a.arn, sfntypes.ExecutionStatusAborted); err != nil {
			return err
		}
		a.stopped = true
	}
	return nil
}

// handedOut checks that an execution's history has its task handed out
// (ActivityStarted): a task not handed out is queued again at a restart.
func handedOut(c *sfn.Client, arn string) error {
	h, err := c.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		return err
	}
	for _, ev := range h.Events {
		if ev.Type == sfntypes.HistoryEventTypeActivityStarted {
			return nil
		}
	}
	return errors.New("its task was neither handed out nor queued again")
}

// succeed sends a's task success and waits for the execution to succeed.
func succeed(c *sfn.Client, a *execAck) error {
	_, err := c.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(a.token), Output: aws.String(`{"ok":true}`)})
	if err != nil {
		return fmt.Errorf("SendTaskSuccess: %w", err)
	}
	_, err = waitStatus(c, a.arn, sfntypes.ExecutionStatusSucceeded)
	return err
}

// count counts the executions for which f holds.
func (w *execWorkload) count(f func(*execAck) bool) int {
	n := 0
	for _, a := range w.execs {
		if f(a) {
			n++
		}
	}
	return n
}

// waitStatus polls an execution until it has one of want, for at most
// 10 s, and returns the status.
func waitStatus(c *sfn.Client, arn string, want ...sfntypes.ExecutionStatus) (sfntypes.ExecutionStatus, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return "", fmt.Errorf("acknowledged execution %s: %w", arn, err)
		}
		if slices.Contains(want, out.Status) {
			return out.Status, nil
		}
		if time.Now().After(deadline) {
			return out.Status, fmt.Errorf("execution %s is %s, want %v", arn, out.Status, want)
		}
		time.Sleep(5 * time.Millisecond) // polling the execution's status
	}
}
