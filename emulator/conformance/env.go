package conformance

import (
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/sfnemu/sfnapi"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/clock"
)

// Fixed identity of every case's service.
const (
	region  = arn.DefaultRegion
	account = arn.DefaultAccount
)

// roleArn is the role every case's state machines name.
var roleArn = arn.IAMRole(account, "stepwire-conformance")

// start is the virtual clock's start: a whole second, so that ${now}
// inputs (written to the second) are not in the past.
var start = time.Date(2024, 4, 18, 6, 18, 29, 0, time.UTC)

// env is a fresh Step Functions service for one case: no MQTT broker, no
// listener; only the service, called directly to run executions, and the
// AWS API router that api cases replay their calls through. Its Lambda
// holds the case's deployed functions (Case.Functions) and nothing else:
// without any, every unmocked invocation fails with
// Lambda.ResourceNotFoundException.
type env struct {
	clk    *clock.Fake // fires timers one at a time, in the runner's goroutine
	svc    *sfnemu.Service
	api    client
	lambda *lambdaService // nil without deployed functions
}

func newEnv(c *Case) (*env, error) {
	lambda, err := startFunctions(c.Functions)
	if err != nil {
		return nil, err
	}
	clk := clock.NewFake(start)
	cfg := sfnemu.Config{Clock: clk, Region: region, Account: account, Logger: slog.New(slog.DiscardHandler)}
	if lambda != nil {
		cfg.Invoke = lambda.invoke
	}
	svc := sfnemu.New(cfg)
	r := awsapi.NewRouter()
	r.HandleTarget("AWSStepFunctions", sfnapi.Handler(svc))
	return &env{clk: clk, svc: svc, api: client{h: r}, lambda: lambda}, nil
}

func (e *env) close() {
	e.svc.Close()
	if e.lambda != nil {
		e.lambda.close()
	}
}

// substituteNow replaces ${now} and ${now+<N>s} with the virtual time as
// YYYY-MM-DDTHH:MM:SS.
func substituteNow(s string, now time.Time) string {
	for {
		i := strings.Index(s, "${now")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s
		}
		expr, at := s[i+5:i+j], now
		if strings.HasPrefix(expr, "+") {
			n, _ := strconv.Atoi(strings.TrimSuffix(expr[1:], "s"))
			at = at.Add(time.Duration(n) * time.Second)
		}
		s = s[:i] + at.UTC().Format("2006-01-02T15:04:05") + s[i+j+1:]
	}
}
