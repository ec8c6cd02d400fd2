package emulator_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/awscli"
)

const lambdaTemplate = "testdata/lambda/template.yaml"

func invokeFn(t *testing.T, c *lambda.Client, name, payload string) (*lambda.InvokeOutput, map[string]any) {
	t.Helper()
	out, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(name),
		Payload: []byte(payload), LogType: lambdatypes.LogTypeTail})
	if err != nil {
		t.Fatalf("invoke %s %s: %v", name, payload, err)
	}
	var m map[string]any
	_ = json.Unmarshal(out.Payload, &m)
	return out, m
}

// docs/lambda.md §3: a function of each runtime runs as processes under
// the Runtime API, invoked through Lambda's API with the Go SDK.
func TestProcessRuntimes(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(lambdaTemplate))
	c := lambda.NewFromConfig(srv.AWSConfig())
	tests := []struct {
		name, fn, payload string
		check             func(t *testing.T, out *lambda.InvokeOutput, m map[string]any)
	}{
		{"python environment", "PyProbe", `{"op":"env"}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			env, ok := m["env"].(map[string]any)
			if !ok {
				t.Fatalf("payload %s", out.Payload)
			}
			want := map[string]any{"GREETING": "hello", "AWS_REGION": "us-east-1", "AWS_LAMBDA_FUNCTION_NAME": "PyProbe",
				"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256", "_HANDLER": "probe.handler", "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
				"AWS_ENDPOINT_URL": srv.Endpoints().HTTP}
			for k, v := range want {
				if env[k] != v {
					t.Errorf("%s = %v, want %v", k, env[k], v)
				}
			}
			if ms := m["remainingMs"].(float64); ms <= 0 || ms > 2000 {
				t.Errorf("remaining time %v ms, want within the 2 s Timeout", ms)
			}
		}},
		{"python boto3 reaches the emulator", "PyProbe", `{"op":"boto3"}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			if m["endpoint"] != srv.Endpoints().HTTP {
				t.Errorf("boto3 endpoint %v, want %s (payload %s)", m["endpoint"], srv.Endpoints().HTTP, out.Payload)
			}
		}},
		{"python error shape", "PyProbe", `{"op":"error"}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			st, _ := m["stackTrace"].([]any)
			if aws.ToString(out.FunctionError) != "Unhandled" || m["errorType"] != "ValueError" || m["errorMessage"] != "bad input" ||
				len(st) == 0 || !strings.Contains(st[len(st)-1].(string), "probe.py") || m["requestId"] == nil {
				t.Errorf("error payload %s (function error %v)", out.Payload, aws.ToString(out.FunctionError))
			}
		}},
		{"python timeout", "PyProbe", `{"op":"sleep","seconds":5}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			if m["errorType"] != "Sandbox.Timedout" || !strings.HasSuffix(m["errorMessage"].(string), "Task timed out after 2.00 seconds") {
				t.Errorf("timeout payload %s", out.Payload)
			}
		}},
		{"python crash", "PyProbe", `{"op":"exit"}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			if m["errorType"] != "Runtime.ExitError" || !strings.Contains(m["errorMessage"].(string), "exit status 2") {
				t.Errorf("crash payload %s", out.Payload)
			}
		}},
		{"go package built on start", "GoProbe", `{"a":1}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			if m["function"] != "GoProbe" || m["echo"].(map[string]any)["a"] != 1.0 {
				t.Errorf("payload %s", out.Payload)
			}
		}},
		{"node", "NodeProbe", `{"a":1}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			if m["fn"] != "NodeProbe" || len(m["requestId"].(string)) != 36 {
				t.Errorf("payload %s", out.Payload)
			}
		}},
		{"node error", "NodeProbe", `{"op":"error"}`, func(t *testing.T, out *lambda.InvokeOutput, m map[string]any) {
			if aws.ToString(out.FunctionError) != "Unhandled" || m["errorType"] != "TypeError" || m["errorMessage"] != "bad input" {
				t.Errorf("payload %s", out.Payload)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fn == "NodeProbe" {
				if _, err := exec.LookPath("node"); err != nil {
					t.Skip("no node")
				}
			}
			out, m := invokeFn(t, c, tt.fn, tt.payload)
			tt.check(t, out, m)
			tail, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
			if !strings.Contains(string(tail), "START RequestId: ") || !strings.Contains(string(tail), "REPORT RequestId: ") {
				t.Errorf("log tail %q lacks the START/REPORT frame", tail)
			}
		})
	}
}

// docs/lambda.md §6: the API's own answers: DryRun, Event, an unknown
// function, a payload over the limit, GetFunction and ListFunctions.
func TestLambdaAPI(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(lambdaTemplate))
	c := lambda.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	dry, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("PyProbe"), InvocationType: lambdatypes.InvocationTypeDryRun})
	if err != nil || dry.StatusCode != 204 {
		t.Fatalf("DryRun: %v, status %v", err, dry)
	}
	ev, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("PyProbe"), InvocationType: lambdatypes.InvocationTypeEvent, Payload: []byte(`{}`)})
	if err != nil || ev.StatusCode != 202 {
		t.Fatalf("Event: %v, status %v", err, ev)
	}
	_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("Nope")})
	var nf *lambdatypes.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope") {
		t.Fatalf("unknown function: %v", err)
	}
	big := `"` + strings.Repeat("x", 6291456) + `"`
	_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("PyProbe"), Payload: []byte(big)})
	if err == nil || !strings.Contains(err.Error(), "Request must be smaller than 6291456 bytes") {
		t.Fatalf("oversized payload: %v", err)
	}
	g, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("PyProbe")})
	if err != nil || aws.ToString(g.Configuration.Handler) != "probe.handler" || g.Configuration.Runtime != "python3.12" ||
		aws.ToInt32(g.Concurrency.ReservedConcurrentExecutions) != 2 || g.Configuration.Environment.Variables["GREETING"] != "hello" {
		t.Fatalf("GetFunction: %v %+v", err, g)
	}
	l, err := c.ListFunctions(ctx, &lambda.ListFunctionsInput{})
	if err != nil || len(l.Functions) != 3 {
		t.Fatalf("ListFunctions: %v %+v", err, l)
	}
}

// `aws lambda invoke` with the Debian CLI, a function error included
// (docs/lambda.md §6.1).
func TestLambdaInvokeCLI(t *testing.T) {
	cli := awscli.Path(t)
	srv := emulatortest.New(t, emulatortest.WithTemplate(lambdaTemplate))
	out := filepath.Join(t.TempDir(), "out.json")
	cmd := exec.Command(cli, "--endpoint-url", srv.Endpoints().HTTP, "lambda", "invoke", "--function-name", "PyProbe",
		"--cli-binary-format", "raw-in-base64-out", "--payload", `{"op":"error"}`, out)
	cmd.Env = awscli.Environ()
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws lambda invoke: %v\n%s", err, b)
	}
	var meta struct {
		StatusCode    int
		FunctionError string
	}
	if err := json.Unmarshal(b, &meta); err != nil || meta.StatusCode != 200 || meta.FunctionError != "Unhandled" {
		t.Fatalf("aws lambda invoke printed %s", b)
	}
	payload, _ := os.ReadFile(out)
	if !strings.Contains(string(payload), `"errorType": "ValueError"`) && !strings.Contains(string(payload), `"errorType":"ValueError"`) {
		t.Fatalf("payload file %s", payload)
	}
}
