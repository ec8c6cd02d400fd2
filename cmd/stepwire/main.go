// Command stepwire runs the emulator and its tools.
//
//	stepwire up            start the emulator (Step Functions, IoT Core, Lambdas) from a SAM template
//	stepwire certs issue   issue a worker certificate through the emulator's IoT API
//	stepwire run           start an execution and wait for its result
//	stepwire progress      show the progress of an execution's running tasks
//	stepwire logs          print a function's recent log lines
//	stepwire conformance   replay recorded Step Functions cases against fresh emulators
//	stepwire scenario run  run scenario files on virtual time, or against a running emulator or AWS
//	stepwire health        exit 0 if the emulator's API answers (a container's health check)
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/stepwire/stepwire/internal/gctune"
)

const usage = `usage: stepwire <command> [flags]

commands:
  up           start the emulator from a SAM template
  certs issue  issue a client certificate for a thing
  run          start an execution and wait for its result
  progress     show the latest progress of an execution's running tasks
  logs         print a function's recent log lines (START, its output, END, REPORT)
  conformance  replay recorded Step Functions cases and report the matches
  scenario run play scenario files (scenarios/README.md), a line each
  health       exit 0 if the emulator's API answers (a container's health check)

Run "stepwire <command> -h" for a command's flags.
`

func main() {
	gctune.Apply()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "stepwire:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "up":
		return up(ctx, args[1:])
	case "certs":
		if len(args) < 2 || args[1] != "issue" {
			return fmt.Errorf("usage: stepwire certs issue --thing NAME [--policy NAME] --out DIR [--endpoint URL]")
		}
		return certsIssue(ctx, args[2:])
	case "run":
		return runExecution(ctx, args[1:])
	case "progress":
		return progressCmd(ctx, args[1:])
	case "conformance":
		return conformanceCmd(ctx, args[1:])
	case "logs":
		return logsCmd(ctx, args[1:], os.Stdout)
	case "scenario":
		return scenarioCmd(ctx, args[1:])
	case "health":
		return health(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(os.Stdout, usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
