package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxLogBytes bounds what logs reads from the emulator (the emulator
// keeps at most 2,000 lines of 8 KiB per function).
const maxLogBytes = 32 << 20

// logsCmd prints a function's recent log lines, as the emulator keeps
// them: each invocation's START, its output, END and REPORT.
func logsCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	endpoint := fs.String("endpoint", "", "emulator API endpoint (default: $AWS_ENDPOINT_URL, else <data-dir>/endpoints.json, else http://127.0.0.1:4566)")
	dataDir := fs.String("data-dir", ".stepwire", "the data directory given to up")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: stepwire logs [--endpoint URL] FUNCTION")
	}
	u := strings.TrimSuffix(endpointURL(*endpoint, *dataDir), "/") + "/_stepwire/logs/" + url.PathEscape(fs.Arg(0))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("logs: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("logs: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("logs %s: %s: %s", fs.Arg(0), resp.Status, strings.TrimSpace(string(b)))
	}
	_, err = io.Copy(out, io.LimitReader(resp.Body, maxLogBytes))
	return err
}
