package scenarios

import (
	"context"
	"fmt"
	"time"
)

// restartsEmulator reports whether a step restarts the emulator: the
// in-process emulator then keeps its state in a state file.
func (s *Scenario) restartsEmulator() bool {
	for _, st := range s.Steps {
		if st.RestartEmulator != nil {
			return true
		}
	}
	return false
}

// restartEmulator stops the run's emulator as a SIGTERM'd `stepwire up`
// stops (or, with kill, as a SIGKILL'd one: emulatortest.Server.
// KillAndRestart) and starts a new one on its state file, clock and
// addresses. What followed the old emulator follows
// the new one: the probe's counters and Lambda wrappers, the observer and
// the clients (dialled again; what they saw is kept). The workers
// reconnect by themselves, with their persistent sessions, to the broker
// address they know; time runs (their reconnect backoff is on the
// scenario's clock) until each that was connected is subscribed again.
func (r *runner) restartEmulator(ctx context.Context, kill bool) error {
	srv := r.w.srv
	if srv == nil {
		return fmt.Errorf("restartEmulator needs the in-process target")
	}
	back := r.goingDown()
	restart := srv.RestartAfter
	if kill {
		restart = srv.KillAndRestart
	}
	if err := restart(func() { forgetConnections(back) }); err != nil {
		return err
	}
	r.p.attach(srv)
	if r.tpl != nil {
		r.p.wrapFunctions(srv, r.tpl)
	}
	if err := r.redial(ctx); err != nil {
		return fmt.Errorf("after the restart: %w", err)
	}
	err := r.drive(ctx, func() (bool, error) {
		for lw, before := range back {
			if lw.readies.Load() <= before {
				return false, nil
			}
		}
		return true, nil
	}, time.Time{})
	if err != nil {
		return fmt.Errorf("waiting for the workers to reconnect: %w", err)
	}
	return nil
}

// goingDown marks the MQTT workers connected now as no longer connected,
// before their broker goes away, and returns how many times each had been
// ready: the next ready is a connection to the new broker.
func (r *runner) goingDown() map[*liveWorker]int64 {
	back := map[*liveWorker]int64{}
	for _, lw := range r.workers {
		if lw.spec.Activity != "" || !lw.connected.Load() {
			continue // an activity worker's next poll goes through; a cut or down one comes back by a step
		}
		back[lw] = lw.readies.Load()
		lw.connected.Store(false)
	}
	return back
}

// forgetConnections cuts and at once restores the links of the workers
// while no broker runs: what went through them led to the old broker,
// and the probe counts a worker connecting again from the next
// connection (liveWorker.read).
func forgetConnections(back map[*liveWorker]int64) {
	for lw := range back {
		lw.mu.Lock()
		lw.link.Cut()
		lw.link.Restore()
		lw.mu.Unlock()
	}
}

// redial connects the observer and the clients to the new broker.
func (r *runner) redial(ctx context.Context) error {
	if err := r.observer.redial(ctx); err != nil {
		return err
	}
	for _, c := range r.s.Clients {
		if err := r.clients[c.Name].redial(ctx); err != nil {
			return err
		}
	}
	return nil
}
