package emulator

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/iotemu"
	"github.com/stepwire/stepwire/emulator/sfnemu"
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
	st, err := store.OpenWith(filepath.Join(cfg.DataDir, StateFile), store.Options{Sync: cfg.Sync})
	if err != nil {
		return nil, fmt.Errorf("new emulator: %w", err)
	}
	if cfg.WrapStore != nil {
		return cfg.WrapStore(st), nil
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
	return e.store != nil && (errors.Is(err, iotemu.ErrAlreadyExists) || errors.Is(err, sfnemu.ErrStateMachineAlreadyExists))
}

// sfnConfigActions are the Step Functions actions that change what
// sfnemu.SnapshotConfig holds: the state file is written after each that
// succeeded, before it answers.
var sfnConfigActions = map[string]bool{
	"CreateStateMachine": true, "UpdateStateMachine": true, "DeleteStateMachine": true,
	"PublishStateMachineVersion": true, "DeleteStateMachineVersion": true,
	"CreateStateMachineAlias": true, "UpdateStateMachineAlias": true, "DeleteStateMachineAlias": true,
	"TagResource": true, "UntagResource": true, "CreateActivity": true, "DeleteActivity": true,
}

// restoreSFN gives the Step Functions service the state machines and
// activities of the state file, and returns the snapshot that keeps them.
func restoreSFN(st store.Store, svc *sfnemu.Service) (*store.Snapshot, error) {
	if st == nil {
		return nil, nil
	}
	snap := store.NewSnapshot(st, "sfn", "config")
	b, ok, err := snap.Load()
	if err == nil && ok {
		err = svc.RestoreConfig(b)
	}
	if err == nil {
		err = svc.LoadExecutions() // resumed once the emulator is built (Start)
	}
	if err != nil {
		return nil, fmt.Errorf("new emulator: %w", err)
	}
	return snap, nil
}

// saveSFN writes the Step Functions configuration if it changed.
func (e *Emulator) saveSFN() error {
	if e.sfnSnap == nil {
		return nil
	}
	return e.sfnSnap.Save(e.SFN.SnapshotConfig)
}

// savingSFN wraps the Step Functions API: a call of sfnConfigActions that
// succeeded is answered once the configuration is in the state file.
func (e *Emulator) savingSFN(next awsapi.JSONHandler) awsapi.JSONHandler {
	if e.sfnSnap == nil {
		return next
	}
	return func(ctx context.Context, op string, body []byte) (any, *awsapi.Error) {
		out, aerr := next(ctx, op, body)
		if aerr == nil && sfnConfigActions[op] {
			if err := e.saveSFN(); err != nil {
				e.cfg.Logger.Error("state machines not saved", "error", err)
				return nil, awsapi.Internal(err)
			}
		}
		return out, aerr
	}
}

// withStateFile names the state file in an error reading it back.
func (e *Emulator) withStateFile(err error) error {
	if e.store == nil {
		return err
	}
	return fmt.Errorf("%w (state file %s)", err, filepath.Join(e.cfg.DataDir, StateFile))
}
