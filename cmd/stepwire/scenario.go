package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stepwire/stepwire/scenarios"
)

// errScenariosFailed is returned when some scenario failed; the report
// has said which.
var errScenariosFailed = errors.New("scenarios failed")

// scenarioCmd runs "stepwire scenario run [--update] FILE...".
func scenarioCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		return fmt.Errorf("usage: stepwire scenario run [--update] FILE...")
	}
	return scenarioRun(ctx, args[1:], os.Stdout)
}

func scenarioRun(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("scenario run", flag.ContinueOnError)
	update := fs.Bool("update", false, "rewrite the golden transcripts (testdata/<file>.golden) instead of comparing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("scenario run: no scenario file given")
	}
	passed, failed := 0, 0
	for _, path := range fs.Args() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r := scenarios.RunFile(path, scenarios.InProcess{}, *update)
		name := r.Name
		if name == "" {
			name = path
		}
		switch {
		case r.Pending != "":
			fmt.Fprintf(out, "PEND %s (%s): %s\n", name, path, r.Pending)
		case r.Err != nil:
			failed++
			fmt.Fprintf(out, "FAIL %s (%s) %dms\n%s\n", name, path, r.Duration.Milliseconds(), indent(r.Err.Error()))
		default:
			passed++
			fmt.Fprintf(out, "ok   %s (%s) %dms\n", name, path, r.Duration.Milliseconds())
		}
	}
	fmt.Fprintf(out, "scenarios: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return errScenariosFailed
	}
	return nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
