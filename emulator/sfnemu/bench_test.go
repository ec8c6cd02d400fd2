package sfnemu

import (
	"context"
	"encoding/json"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
)

// BenchmarkCallbackRoundTrip runs whole executions of the sample machine
// (start, dispatch, SendTaskSuccess, done) 64 at a time, without HTTP.
func BenchmarkCallbackRoundTrip(b *testing.B) {
	var waiting sync.Map // job id -> chan token
	svc := New(Config{Clock: clock.Real{}, Invoke: func(_ context.Context, _ string, payload []byte) (InvokeResult, error) {
		var j struct {
			Input     struct{ ID string }
			TaskToken string
		}
		if err := json.Unmarshal(payload, &j); err != nil {
			return InvokeResult{}, err
		}
		ch, _ := waiting.Load(j.Input.ID)
		ch.(chan string) <- j.TaskToken
		return InvokeResult{Payload: []byte(`{}`)}, nil
	}})
	defer svc.Close()
	sm, err := svc.CreateStateMachine(context.Background(), CreateStateMachineInput{Name: "Bench", Definition: sampleDefinition, RoleArn: roleArn})
	if err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	output := `{"result":57}`
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0))) // 64 concurrent executions
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := strconv.FormatInt(seq.Add(1), 10)
			ch := make(chan string, 1)
			waiting.Store(id, ch)
			input := `{"ID":"` + id + `"}`
			info, err := svc.StartExecution(context.Background(), StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: &input})
			if err != nil {
				b.Error(err)
				return
			}
			token := <-ch
			waiting.Delete(id)
			if err := svc.SendTaskSuccess(context.Background(), SendTaskSuccessInput{TaskToken: token, Output: output}); err != nil {
				b.Error(err)
				return
			}
			waitDone(b, svc, info.ExecutionArn)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "executions/s")
}

// waitDone polls until the execution left RUNNING.
func waitDone(b *testing.B, svc *Service, arn string) {
	e, err := svc.execution(arn)
	if err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for e.info().status == interp.StatusRunning {
		if time.Now().After(deadline) {
			b.Fatalf("%s still running", arn)
		}
		time.Sleep(50 * time.Microsecond)
	}
}
