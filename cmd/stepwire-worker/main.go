// Command stepwire-worker is the on-premises worker: it connects to AWS IoT
// Core or the stepwire emulator over MQTT 5 with its client certificate,
// runs the built-in jobs (the sample's "add") and reports results.
//
// Configuration comes from the sample worker's environment variables
// (ENDPOINT, CA_FILE, DEVICE_CERT, PRIVATE_KEY, CLIENT_ID, SUBSCRIBE_TOPIC,
// SUBMIT_TOPIC); flags of the same meaning override them, see -help.
// SIGINT or SIGTERM stops it cleanly.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/stepwire/stepwire/internal/hoplog"
	"github.com/stepwire/stepwire/worker"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "stepwire-worker:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg := worker.EnvConfig(os.Getenv)
	cfg.RegisterFlags(flag.CommandLine)
	jsonLogs := flag.Bool("json-logs", false, "log JSON lines instead of terminal lines")
	verbose := flag.Bool("v", false, "also log debug records")
	flag.Parse()

	var h slog.Handler = hoplog.New(os.Stderr, *verbose)
	if *jsonLogs {
		level := slog.LevelInfo
		if *verbose {
			level = slog.LevelDebug
		}
		h = slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return worker.Run(ctx, cfg, worker.DefaultHandler(), slog.New(h))
}
