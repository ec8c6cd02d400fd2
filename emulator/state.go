package emulator

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/stepwire/stepwire/emulator/iotemu"
	"github.com/stepwire/stepwire/emulator/store"
)

// StateFile is the name of the state file in the data dir
// (docs/durability.md §4).
const StateFile = "state.db"

// openStore opens <DataDir>/state.db when cfg.Durable, and returns nil (the
// services keep their state in memory) otherwise.
func openStore(cfg Config) (store.Store, error) {
	if !cfg.Durable {
		return nil, nil
	}
	st, err := store.Open(filepath.Join(cfg.DataDir, StateFile))
	if err != nil {
		return nil, fmt.Errorf("new emulator: %w", err)
	}
	return st, nil
}

// closeStore closes the state file after the services that write to it.
func (e *Emulator) closeStore() error {
	if e.store == nil {
		return nil
	}
	return e.store.Close()
}

// keptFromState reports whether a template resource's creation failed
// only because the state file already holds it: the resource, as the
// previous run left it, is kept (docs/durability.md §4).
func (e *Emulator) keptFromState(err error) bool {
	return e.store != nil && errors.Is(err, iotemu.ErrAlreadyExists)
}

// withStateFile names the state file in an error reading it back.
func (e *Emulator) withStateFile(err error) error {
	if e.store == nil {
		return err
	}
	return fmt.Errorf("%w (state file %s)", err, filepath.Join(e.cfg.DataDir, StateFile))
}
