package main

import (
	"crypto/tls"
	"log/slog"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stepwire/stepwire/worker"
)

// watch runs onSignals for a worker that never connects and returns its
// signal channel and a channel closed when it stops the worker.
func watch(t *testing.T) (chan<- os.Signal, <-chan struct{}) {
	t.Helper()
	w, err := worker.New(worker.Config{Endpoint: "localhost", TLSConfig: &tls.Config{}, ClientID: "w",
		SubscribeTopic: "jobs", SubmitTopic: "results"}, worker.DefaultHandler(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	sigs := make(chan os.Signal)
	stopped := make(chan struct{})
	go onSignals(sigs, w, func() { close(stopped) }, slog.New(slog.DiscardHandler))
	return sigs, stopped
}

// The first signal drains the worker; only the second stops it.
func TestOnSignalsDrainsThenStops(t *testing.T) {
	sigs, stopped := watch(t)
	sigs <- syscall.SIGTERM
	sigs <- syscall.SIGTERM // accepted only once the first has been handled
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("second signal did not stop the worker")
	}
}

func TestFirstSignalDoesNotStop(t *testing.T) {
	sigs, stopped := watch(t)
	sigs <- syscall.SIGTERM
	// With the first signal handled, onSignals is blocked on the second:
	// a send on the unbuffered channel would succeed; stop has not run.
	select {
	case <-stopped:
		t.Fatal("the first signal stopped the worker")
	default:
	}
}
