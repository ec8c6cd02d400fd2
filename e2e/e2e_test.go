//go:build e2e

// Package e2e runs stepwire as containers — the emulator and the worker on
// a private docker network, real mTLS between them — and drives them from
// the host through the AWS SDK, as CI and users' own pipelines do. Run it
// with `make e2e` (it builds the image first).
package e2e

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/network"
	"github.com/testcontainers/testcontainers-go/wait"
)

const (
	image      = "stepwire:dev"
	machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"
	thing      = "mqtt-container-client"
)

type env struct {
	net      *testcontainers.DockerNetwork
	emulator *testcontainers.DockerContainer
	aws      aws.Config
	certs    map[string][]byte
}

func setUp(t *testing.T) *env {
	t.Helper()
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	ctx := context.Background()
	nw, err := network.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testcontainers.CleanupNetwork(t, nw)
	emu, err := testcontainers.Run(ctx, image,
		network.WithNetwork([]string{"stepwire"}, nw),
		testcontainers.WithCmd("up", "--template", "/template.yaml", "--data-dir", "/data",
			"--http", "0.0.0.0:4566", "--mqtt", "0.0.0.0:8883", "--mqtt-host", "stepwire", "--http-host", "stepwire"),
		testcontainers.WithWaitStrategy(wait.ForLog("stepwire is up").WithStartupTimeout(30*time.Second)))
	testcontainers.CleanupContainer(t, emu)
	if err != nil {
		t.Fatal(err)
	}
	// The host reaches the container on the project's own docker network
	// (published ports are not used: nothing leaves that network).
	ip, err := emu.ContainerIP(ctx)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ip + ":4566"
	e := &env{net: nw, emulator: emu, aws: aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}}
	e.certs = issueCerts(t, e.aws, endpoint)
	return e
}

// issueCerts does what `stepwire certs issue` does, from the host.
func issueCerts(t *testing.T, cfg aws.Config, endpoint string) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	c := iot.NewFromConfig(cfg)
	cert, err := c.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AttachPolicy(ctx, &iot.AttachPolicyInput{PolicyName: aws.String("OnPremContainer"), Target: cert.CertificateArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AttachThingPrincipal(ctx, &iot.AttachThingPrincipalInput{ThingName: aws.String(thing), Principal: cert.CertificateArn}); err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"/certs/cert.pem":    []byte(aws.ToString(cert.CertificatePem)),
		"/certs/priv.key":    []byte(aws.ToString(cert.KeyPair.PrivateKey)),
		"/certs/root-CA.crt": fetch(t, endpoint+"/_stepwire/ca"),
	}
}

// startWorker runs the worker container; it is ready once it logs so.
func (e *env) startWorker(t *testing.T) *testcontainers.DockerContainer {
	t.Helper()
	var files []testcontainers.ContainerFile
	for path, data := range e.certs {
		files = append(files, testcontainers.ContainerFile{Reader: bytesReader(data), ContainerFilePath: path, FileMode: 0o644})
	}
	w, err := testcontainers.Run(context.Background(), image,
		network.WithNetwork([]string{"worker"}, e.net),
		testcontainers.WithEntrypoint("/stepwire-worker"),
		testcontainers.WithEnv(map[string]string{
			"ENDPOINT": "stepwire:8883", "CA_FILE": "/certs/root-CA.crt", "DEVICE_CERT": "/certs/cert.pem",
			"PRIVATE_KEY": "/certs/priv.key", "CLIENT_ID": thing,
			"SUBSCRIBE_TOPIC": "tenant1/to/worker", "SUBMIT_TOPIC": "tenant1/to/lambda"}),
		testcontainers.WithFiles(files...),
		testcontainers.WithWaitStrategy(wait.ForLog("worker ready").WithStartupTimeout(30*time.Second)))
	testcontainers.CleanupContainer(t, w)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (e *env) run(t *testing.T, arn, input string) *sfn.DescribeExecutionOutput {
	t.Helper()
	ctx := context.Background()
	c := sfn.NewFromConfig(e.aws)
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		time.Sleep(20 * time.Millisecond) // polling interval
	}
	t.Fatal("execution still running after 60s")
	return nil
}

// The sample job across containers: host SDK → emulator container →
// MQTT/mTLS over the docker network → worker container → back.
func TestSampleAcrossContainers(t *testing.T) {
	e := setUp(t)
	e.startWorker(t)
	d := e.run(t, machineArn, `{"a":15,"b":42}`)
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"a":15,"b":42,"lambdaOutput":{"result":57}}` {
		t.Fatalf("status %s output %s error %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Error))
	}
}

// A worker that is gone (its container stopped) is noticed by the
// heartbeat timeout: the execution fails with States.Timeout (real time,
// 2 s).
func TestKilledWorkerTimesOut(t *testing.T) {
	e := setUp(t)
	def := `{"StartAt":"Job","States":{"Job":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"HeartbeatSeconds":2,"Parameters":{"FunctionName":"SendToWorkerFunction","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token"}},"End":true}}}`
	sm, err := sfn.NewFromConfig(e.aws).CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String("heartbeat"), Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	w := e.startWorker(t)
	if err := w.Stop(context.Background(), nil); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	d := e.run(t, aws.ToString(sm.StateMachineArn), `{"a":1,"b":2}`)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Fatalf("status %s error %q, want FAILED States.Timeout", d.Status, aws.ToString(d.Error))
	}
}
