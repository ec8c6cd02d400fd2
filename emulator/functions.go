package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/lambdas/cancel"
	"github.com/stepwire/stepwire/lambdas/complete"
	"github.com/stepwire/stepwire/lambdas/dispatch"
)

// A builtin builds the in-process handler of one of stepwire's Lambdas
// from the function's environment (as the template sets it) and an AWS SDK
// config pointing at the emulator.
type builtin func(env map[string]string, cfg aws.Config, logger *slog.Logger) (lambdaemu.Handler, error)

// builtins maps the last element of a function's CodeUri to its code.
var builtins = map[string]builtin{
	"dispatch": func(env map[string]string, cfg aws.Config, logger *slog.Logger) (lambdaemu.Handler, error) {
		topic := env["WORKER_TOPIC"]
		if topic == "" {
			return nil, fmt.Errorf("environment variable WORKER_TOPIC is required")
		}
		h := dispatch.New(iotdataplane.NewFromConfig(cfg), topic, logger)
		return jsonHandler[json.RawMessage, dispatch.Response](h.Handle), nil
	},
	"complete": func(env map[string]string, cfg aws.Config, logger *slog.Logger) (lambdaemu.Handler, error) {
		h := complete.New(sfn.NewFromConfig(cfg), logger)
		return noResult(h.Handle), nil
	},
	"cancel": func(env map[string]string, cfg aws.Config, logger *slog.Logger) (lambdaemu.Handler, error) {
		topic := env["CONTROL_TOPIC"]
		if topic == "" {
			return nil, fmt.Errorf("environment variable CONTROL_TOPIC is required")
		}
		h := cancel.New(iotdataplane.NewFromConfig(cfg), topic, logger)
		return noResult(h.Handle), nil
	},
}

// codeName returns the builtin a CodeUri names: "bin/lambda/dispatch/" →
// "dispatch".
func codeName(codeURI string) string {
	return path.Base(strings.TrimSuffix(codeURI, "/"))
}

// sdkConfig is the AWS SDK config of in-process Lambdas: the emulator's
// own endpoint, reached without a socket, and the credentials of
// lambdaCredentials (on AWS the Lambdas' own config signs with the
// function's role).
func (e *Emulator) sdkConfig() aws.Config {
	return aws.Config{
		Region:       e.cfg.Region,
		Credentials:  e.lambdaCredentials(),
		BaseEndpoint: aws.String("http://stepwire.local"),
		HTTPClient:   &http.Client{Transport: awsapi.LocalTransport{Handler: e.router}},
	}
}

// registerFunction binds f: to stepwire's in-process handler when the
// Lambda mode is in-process, f is a Go function and its CodeUri names a
// builtin; else to process environments running f's own code
// (processfunc.go).
func (e *Emulator) registerFunction(f template.Function, templateDir string) error {
	name := codeName(f.CodeURI)
	build, ok := builtins[name]
	if !ok || e.cfg.LambdaMode == LambdaProcess || !goRuntime(f.Runtime) {
		return e.registerProcessFunction(f, templateDir)
	}
	logger := e.cfg.Logger.With("function", f.Name)
	h, err := build(f.Environment, e.sdkConfig(), logger)
	if err != nil {
		return fmt.Errorf("function %s: %w", f.LogicalID, err)
	}
	timeout := time.Duration(f.Timeout * float64(time.Second))
	e.Lambda.Register(lambdaemu.Function{Name: f.Name, Handler: withTimeout(h, timeout), Config: functionConfig(f)})
	return nil
}

// goRuntime reports the runtimes of Go functions, which stepwire's own
// in-process handlers stand in for.
func goRuntime(rt string) bool {
	return rt == "" || rt == "provided.al2023" || rt == "provided.al2" || rt == "provided" || rt == "go1.x"
}

func functionConfig(f template.Function) lambdaemu.Configuration {
	return lambdaemu.Configuration{Runtime: f.Runtime, Handler: f.Handler, Description: f.Description,
		CodeURI: f.CodeURI, Timeout: f.Timeout, MemorySize: f.MemorySize, ReservedConcurrency: f.ReservedConcurrency,
		Environment: f.Environment}
}

// timeoutHandler gives each invocation the function's configured timeout.
type timeoutHandler struct {
	h       lambdaemu.Handler
	timeout time.Duration
}

func withTimeout(h lambdaemu.Handler, d time.Duration) lambdaemu.Handler {
	if d <= 0 {
		return h
	}
	return timeoutHandler{h, d}
}

func (t timeoutHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	return t.h.Invoke(ctx, payload)
}
