// Command stepwire-worker is the on-premises worker: it connects to AWS IoT
// Core or the stepwire emulator over MQTT 5 with its client certificate,
// runs the built-in jobs (the sample's "add", "sleep", and "sql", a
// read-only query against the database named by --database or
// DATABASE_URL) and reports results.
//
// Configuration comes from the sample worker's environment variables
// (ENDPOINT, CA_FILE, DEVICE_CERT, PRIVATE_KEY, CLIENT_ID, SUBSCRIBE_TOPIC,
// SUBMIT_TOPIC); flags of the same meaning override them, see -help.
// The first SIGINT or SIGTERM drains it: it takes no more jobs, lets the
// running ones finish for up to --drain-timeout, fails the rest with
// Worker.ShuttingDown and disconnects. A second signal cancels the running
// jobs at once.
//
// `stepwire-worker health` exits 0 when the worker that writes HEALTH_FILE
// (--health-file) is connected and subscribed: a container's health check.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/stepwire/stepwire/internal/gctune"
	"github.com/stepwire/stepwire/internal/hoplog"
	"github.com/stepwire/stepwire/worker"
	"github.com/stepwire/stepwire/worker/sqljob"
)

func main() {
	gctune.Apply()
	if len(os.Args) > 1 && os.Args[1] == "health" {
		if err := health(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "stepwire-worker health:", err)
			os.Exit(1)
		}
		return
	}
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
	logger := slog.New(h)
	handler := worker.DefaultHandler()
	db, err := sqljob.Register(handler, cfg.Database, cfg.MaxConcurrent)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }() // after Run: the worker has stopped
	w, err := worker.New(cfg, handler, logger)
	if err != nil {
		return err
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go onSignals(sigs, w, cancel, logger)
	return w.Run(ctx)
}

// health checks the state a running worker keeps in its health file.
func health(args []string) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	path := fs.String("health-file", os.Getenv("HEALTH_FILE"), "the worker's health file (env HEALTH_FILE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return worker.CheckHealth(*path)
}

// onSignals drains w on the first signal and stops it on the second.
func onSignals(sigs <-chan os.Signal, w *worker.Worker, stop context.CancelFunc, logger *slog.Logger) {
	sig := <-sigs
	logger.Info("draining; send the signal again to stop at once", "signal", sig.String())
	w.Drain()
	sig = <-sigs
	logger.Warn("stopping at once", "signal", sig.String())
	stop()
}
