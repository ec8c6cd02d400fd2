package sqljob_test

// The sql job end to end: a state machine dispatches it through the
// emulator (emulatortest) to a real worker, and the rows come back as the
// task's output.

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/worker"
	"github.com/stepwire/stepwire/worker/sqljob"
)

const (
	machineArn  = "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"
	thing       = "mqtt-container-client"
	policy      = "OnPremContainer"
	workerTopic = "tenant1/to/worker"
	lambdaTopic = "tenant1/to/lambda"
)

// sqlMachine creates a copy of the template's state machine whose job
// message names jobType "sql", and returns its ARN.
func sqlMachine(t *testing.T, c *sfn.Client) string {
	t.Helper()
	ctx := context.Background()
	sm, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machineArn)})
	if err != nil {
		t.Fatal(err)
	}
	def := aws.ToString(sm.Definition)
	typed := strings.Replace(def, `"Input.$": "$",`, `"Input.$": "$", "jobType": "sql",`, 1)
	if typed == def {
		t.Fatalf("the template's definition has no Payload Input to add a jobType to:\n%s", def)
	}
	out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("SqlJobs"),
		Definition: aws.String(typed), RoleArn: sm.RoleArn})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.StateMachineArn)
}

func TestSQLJobThroughTheEmulator(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plant.db")
	rw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rw.Exec(`CREATE TABLE sensors (id INTEGER PRIMARY KEY, name TEXT, reading REAL);
		INSERT INTO sensors VALUES (1, 'boiler', 81.5), (2, 'intake', 12.25), (3, 'stack', 240);`); err != nil {
		t.Fatal(err)
	}
	_ = rw.Close()

	srv := emulatortest.New(t, emulatortest.WithTemplate("../../template.yaml"))
	handler := worker.DefaultHandler()
	db, err := sqljob.Register(handler, path, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() }) // runs after the worker's cleanup has stopped it
	srv.StartWorker(worker.Config{ClientID: thing, SubscribeTopic: workerTopic, SubmitTopic: lambdaTopic}, policy, handler)

	c := sfn.NewFromConfig(srv.AWSConfig())
	arn := sqlMachine(t, c)
	run := func(input string) *sfn.DescribeExecutionOutput {
		t.Helper()
		out, err := c.StartExecution(context.Background(), &sfn.StartExecutionInput{
			StateMachineArn: aws.String(arn), Input: aws.String(input)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.SFN.WaitExecution(context.Background(), aws.ToString(out.ExecutionArn)); err != nil {
			t.Fatal(err)
		}
		d, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	d := run(`{"query": "SELECT name, reading FROM sensors WHERE reading > ? ORDER BY id", "args": [50]}`)
	if d.Status != "SUCCEEDED" {
		t.Fatalf("execution %s: %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	var out struct {
		LambdaOutput json.RawMessage `json:"lambdaOutput"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil {
		t.Fatal(err)
	}
	want := `{"result":{"columns":["name","reading"],"rows":[{"name":"boiler","reading":81.5},{"name":"stack","reading":240}]}}`
	if string(out.LambdaOutput) != want {
		t.Fatalf("task output\n got %s\nwant %s", out.LambdaOutput, want)
	}

	d = run(`{"query": "DELETE FROM sensors"}`)
	if d.Status != "FAILED" || aws.ToString(d.Error) != worker.FailureInvalidJob {
		t.Fatalf("DELETE: execution %s %s, want FAILED with InvalidJob", d.Status, aws.ToString(d.Error))
	}
}
