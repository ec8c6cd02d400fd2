package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stepwire/stepwire/internal/target"
	"github.com/stepwire/stepwire/scenarios"
)

// errScenariosFailed is returned when some scenario failed; the report
// has said which.
var errScenariosFailed = errors.New("scenarios failed")

const scenarioUsage = "usage: stepwire scenario run [--target inprocess|endpoint|aws] [--endpoint URL] [--mqtt HOST:PORT] [--stack NAME] [--update] FILE..."

// scenarioCmd runs "stepwire scenario run [flags] FILE...".
func scenarioCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		return errors.New(scenarioUsage)
	}
	return scenarioRun(ctx, args[1:], os.Stdout)
}

// scenarioOptions are the flags of "scenario run".
type scenarioOptions struct {
	target, endpoint, mqtt, stack, dataDir string
	update                                 bool
}

func scenarioRun(ctx context.Context, args []string, out io.Writer) error {
	var o scenarioOptions
	fs := flag.NewFlagSet("scenario run", flag.ContinueOnError)
	fs.StringVar(&o.target, "target", scenarios.TargetInProcess, "where the scenarios run: inprocess (an emulator in this process, on virtual time), "+
		"endpoint (a running emulator, on wall time) or aws (a deployed stack, on wall time); a scenario that does not list the target is skipped")
	fs.StringVar(&o.endpoint, "endpoint", "", "endpoint target: the emulator's API URL (default: AWS_ENDPOINT_URL, else <data-dir>/endpoints.json, else http://127.0.0.1:4566)")
	fs.StringVar(&o.dataDir, "data-dir", ".stepwire", "endpoint target: the emulator's data directory, for endpoints.json")
	fs.StringVar(&o.mqtt, "mqtt", "", "endpoint target: the broker's host:port (default: what the emulator says)")
	fs.StringVar(&o.stack, "stack", target.StackName(), "aws target: the stack's name (env STACK_NAME)")
	fs.BoolVar(&o.update, "update", false, "rewrite the golden transcripts (testdata/<file>.golden) instead of comparing (inprocess target)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("scenario run: no scenario file given")
	}
	tg, err := scenarioTarget(ctx, o)
	if err != nil {
		return fmt.Errorf("scenario run: %w", err)
	}
	passed, failed := 0, 0
	for _, path := range fs.Args() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r := scenarios.RunFile(path, tg, o.update)
		name := r.Name
		if name == "" {
			name = path
		}
		switch {
		case r.Pending != "":
			fmt.Fprintf(out, "PEND %s (%s): %s\n", name, path, r.Pending)
		case r.Skipped != "":
			fmt.Fprintf(out, "SKIP %s (%s): %s\n", name, path, r.Skipped)
		case r.Err != nil:
			failed++
			fmt.Fprintf(out, "FAIL %s (%s) %dms\n%s\n", name, path, r.Duration.Milliseconds(), indent(r.Err.Error()))
		default:
			passed++
			fmt.Fprintf(out, "ok   %s (%s) %dms\n", name, path, r.Duration.Milliseconds())
		}
		for _, n := range r.Notes {
			fmt.Fprintf(out, "%s\n", indent("note: "+n))
		}
	}
	fmt.Fprintf(out, "scenarios: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return errScenariosFailed
	}
	return nil
}

// scenarioTarget builds the target the flags name.
func scenarioTarget(ctx context.Context, o scenarioOptions) (scenarios.Target, error) {
	switch o.target {
	case scenarios.TargetInProcess:
		return scenarios.InProcess{}, nil
	case scenarios.TargetEndpoint:
		url := endpointURL(o.endpoint, o.dataDir)
		cfg, err := sdkConfig(ctx, url)
		if err != nil {
			return nil, err
		}
		return scenarios.Endpoint{HTTP: url, MQTT: o.mqtt, Config: &cfg}, nil
	case scenarios.TargetAWS:
		cfg, err := target.LoadAWSConfig(ctx)
		if err != nil {
			return nil, err
		}
		return scenarios.AWS{Config: &cfg, Stack: o.stack}, nil
	}
	return nil, fmt.Errorf("target %q: want %s, %s or %s", o.target, scenarios.TargetInProcess, scenarios.TargetEndpoint, scenarios.TargetAWS)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
