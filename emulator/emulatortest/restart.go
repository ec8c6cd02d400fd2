package emulatortest

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/stepwire/stepwire/emulator"
)

// ErrNotDurable is returned by Restart on an emulator that keeps its state
// in memory: a new one would start empty.
var ErrNotDurable = errors.New("emulatortest: restart needs WithDurable (an in-memory emulator forgets everything when it stops)")

// Restart stops the emulator as a SIGTERM'd `stepwire up` stops (Close:
// requests and executions in flight drained a bounded time, the state file
// closed) and starts a new one on the same data dir, hence the same state
// file and CA, the same clock and the same HTTP and MQTT addresses, so
// that SDK clients keep their endpoint URL and MQTT clients reconnect to
// the broker they knew. Executions resume from the state file
// (docs/durability.md §6). It needs WithDurable.
//
// Restart replaces Server.Emulator: it must not run concurrently with any
// other use of the Server, and whatever was taken from the old emulator
// (its services, a Lambda handler registered on it) is the old one's.
func (s *Server) Restart() error { return s.RestartAfter(nil) }

// RestartAfter is Restart, calling stopped (when not nil) while no
// emulator runs: after the old one has closed, before the new one listens.
func (s *Server) RestartAfter(stopped func()) error {
	if !s.cfg.Durable {
		return ErrNotDurable
	}
	if s.closed {
		return fmt.Errorf("emulatortest: restart: no emulator is running")
	}
	cfg, err := s.sameAddresses()
	if err != nil {
		return err
	}
	s.closed = true
	if err := s.Emulator.Close(); err != nil {
		return fmt.Errorf("emulatortest: restart: close: %w", err)
	}
	if stopped != nil {
		stopped()
	}
	emu, err := start(cfg)
	if err != nil {
		return fmt.Errorf("emulatortest: restart: %w", err)
	}
	s.Emulator, s.closed = emu, false
	return nil
}

// sameAddresses is the configuration that started the emulator, listening
// where the running one does (its ports were picked from :0 at the first
// start).
func (s *Server) sameAddresses() (emulator.Config, error) {
	ends := s.Endpoints()
	u, err := url.Parse(ends.HTTP)
	if err != nil || u.Host == "" {
		return emulator.Config{}, fmt.Errorf("emulatortest: restart: http endpoint %q: %v", ends.HTTP, err)
	}
	cfg := s.cfg
	cfg.HTTPAddr, cfg.MQTTAddr = u.Host, ends.MQTT
	return cfg, nil
}
