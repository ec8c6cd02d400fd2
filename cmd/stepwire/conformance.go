package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/stepwire/stepwire/emulator/conformance"
)

// conformanceCmd replays recorded Step Functions cases against fresh
// in-process emulators and reports how many match AWS.
func conformanceCmd(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	minPass := fs.Float64("min-pass", 0, "fail below this share of passing cases (JSONPath and API cases the skip table does not exclude)")
	minQuery := fs.Float64("min-pass-jsonata", 0, "fail below this share of passing JSONata and variables cases")
	minCat := fs.Float64("min-category", 0, "fail when a category's share of passing cases is below this")
	maxSkip := fs.Float64("max-skip", 1, "fail when more than this share of cases is skipped")
	workers := fs.Int("j", runtime.GOMAXPROCS(0), "cases run at once")
	run := fs.String("run", "", "run only cases whose id or file contains this text")
	verbose := fs.Bool("v", false, "print whole diffs, not one short line per failing case")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: stepwire conformance [flags] DIR...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("conformance: no case directory given")
	}
	cases, err := conformance.Load(fs.Args()...)
	if err != nil {
		return fmt.Errorf("conformance: %w", err)
	}
	cases = filterCases(cases, *run)
	results := conformance.RunAll(cases, *workers)
	width := 400
	if *verbose {
		width = 0
	}
	conformance.PrintFailures(os.Stdout, results, width)
	report := conformance.Summarise(results)
	conformance.PrintTable(os.Stdout, report)
	conformance.PrintBarTallies(os.Stdout, report)
	conformance.PrintChanges(os.Stdout, report)
	conformance.PrintDeployed(os.Stdout, report)
	bar := conformance.Bar{MinPass: *minPass, MinCategory: *minCat, MaxSkip: *maxSkip, MinQueryPass: *minQuery}
	unmet := bar.Check(report)
	for _, u := range unmet {
		fmt.Fprintln(os.Stdout, "below the bar:", u)
	}
	conformance.PrintSummary(os.Stdout, report)
	if len(unmet) > 0 {
		// The summary must stay the last line, so no error text follows.
		os.Exit(1)
	}
	return nil
}

func filterCases(cases []*conformance.Case, text string) []*conformance.Case {
	if text == "" {
		return cases
	}
	var out []*conformance.Case
	for _, c := range cases {
		if strings.Contains(c.ID, text) || strings.Contains(c.File, text) {
			out = append(out, c)
		}
	}
	return out
}
