package worker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The states a worker writes to Config.HealthFile. Only HealthReady is
// healthy: connected, and subscribed to its job topic.
const (
	HealthConnecting = "connecting"
	HealthReady      = "ready"
	HealthDraining   = "draining"
	HealthStopped    = "stopped"
)

// healthFile writes the worker's state to a file for a health check that
// runs as another process (a container image from scratch has no shell, and
// the worker opens no port to ask). Draining and stopped are final: a
// reconnect during a drain does not make the worker ready again.
type healthFile struct {
	mu    sync.Mutex
	final bool
}

// writeHealth records state in Config.HealthFile, when one is set. The file
// is replaced by a rename, so a reader never sees half a state. A failed
// write is logged: the worker runs on, and the health check fails.
func (w *Worker) writeHealth(state string) {
	if w.cfg.HealthFile == "" {
		return
	}
	w.health.mu.Lock()
	defer w.health.mu.Unlock()
	if w.health.final {
		return
	}
	w.health.final = state == HealthDraining || state == HealthStopped
	if err := replaceFile(w.cfg.HealthFile, state+"\n"); err != nil {
		w.logger.Warn("cannot write the health file", "path", w.cfg.HealthFile, "err", err)
	}
}

func replaceFile(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".health-*")
	if err != nil {
		return err
	}
	_, werr := tmp.WriteString(content)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
	}
	return werr
}

// CheckHealth reads a worker's health file and returns nil when the worker
// is ready, else an error naming its state.
func CheckHealth(path string) error {
	if path == "" {
		return errors.New("no health file (env HEALTH_FILE or --health-file)")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read health file: %w", err)
	}
	if state := strings.TrimSpace(string(b)); state != HealthReady {
		return fmt.Errorf("worker is %s, not %s", state, HealthReady)
	}
	return nil
}
