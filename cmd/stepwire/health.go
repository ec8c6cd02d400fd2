package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// healthTimeout bounds one health check, as a container runtime runs it.
const healthTimeout = 2 * time.Second

// health checks that the emulator at --endpoint answers its API: it asks
// for GET /_stepwire/endpoints, which is served once `up` has started its
// listeners and is open even when signatures are checked. It is the
// container image's health check, which has no shell or curl to run.
func health(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	endpoint := fs.String("endpoint", "http://127.0.0.1:4566", "emulator API endpoint")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("health: unexpected argument %q", fs.Arg(0))
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	url := strings.TrimRight(*endpoint, "/") + "/_stepwire/endpoints"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: GET %s: %s", url, resp.Status)
	}
	return nil
}
