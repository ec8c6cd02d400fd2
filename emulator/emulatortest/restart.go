package emulatortest

import (
	"errors"
	"fmt"
	"net/url"
	"sync/atomic"

	"github.com/stepwire/stepwire/emulator"
	"github.com/stepwire/stepwire/emulator/store"
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
func (s *Server) Restart() error { return s.restart(false, nil) }

// RestartAfter is Restart, calling stopped (when not nil) while no
// emulator runs: after the old one has closed, before the new one listens.
func (s *Server) RestartAfter(stopped func()) error { return s.restart(false, stopped) }

// KillAndRestart is RestartAfter for an emulator killed rather than
// stopped, as a SIGKILL'd `stepwire up`: its state file keeps what was
// committed until then and nothing more. The old emulator is still closed
// (its ports and goroutines freed), but none of its writes from the kill
// on reaches the file: what a graceful stop would save on its way out is
// lost. Its clients see their connections close as the closing emulator
// closes them, not as a dead host's.
func (s *Server) KillAndRestart(stopped func()) error { return s.restart(true, stopped) }

func (s *Server) restart(kill bool, stopped func()) error {
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
	if kill {
		s.state.killed.Store(true)
	}
	s.closed = true
	if err := s.Emulator.Close(); err != nil && !kill {
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

// killableStore is the state file of an emulator a test may kill: once
// killed, it refuses every write, as a dead process makes none, and the
// file stays as its last commit left it.
type killableStore struct {
	store.Store
	killed atomic.Bool
}

// errKilled is what a killed emulator's writes get.
var errKilled = errors.New("emulatortest: the emulator was killed")

// killable wraps a newly opened state file (emulator.Config.WrapStore).
func (s *Server) killable(st store.Store) store.Store {
	s.state = &killableStore{Store: st}
	return s.state
}

// Apply implements store.Store.
func (k *killableStore) Apply(ops ...store.Op) error {
	if k.killed.Load() {
		return errKilled
	}
	return k.Store.Apply(ops...)
}
