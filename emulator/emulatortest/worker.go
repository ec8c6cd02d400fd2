package emulatortest

import (
	"context"
	"log/slog"
	"time"

	"github.com/stepwire/stepwire/worker"
)

// StartWorker runs a stepwire worker against the emulator and waits until
// it is connected and subscribed. Empty fields of cfg are filled in: the
// broker endpoint and, when cfg.TLSConfig is nil, a certificate issued for
// thing (cfg.ClientID) with policy attached. The worker stops at cleanup.
func (s *Server) StartWorker(cfg worker.Config, policy string, h worker.Handler) *worker.Worker {
	s.t.Helper()
	if cfg.Endpoint == "" {
		cfg.Endpoint = s.Endpoints().MQTT
	}
	if cfg.TLSConfig == nil {
		cfg.TLSConfig = s.ClientTLS(cfg.ClientID, policy)
	}
	w, err := worker.New(cfg, h, slog.New(slog.DiscardHandler))
	if err != nil {
		s.t.Fatalf("emulatortest: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	s.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			s.t.Errorf("emulatortest: worker: %v", err)
		}
	})
	select {
	case <-w.Ready():
	case err := <-done:
		s.t.Fatalf("emulatortest: worker stopped before it was ready: %v", err)
	case <-time.After(10 * time.Second):
		s.t.Fatal("emulatortest: worker not ready after 10s")
	}
	return w
}
