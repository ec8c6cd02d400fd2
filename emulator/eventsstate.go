package emulator

import (
	"context"
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/scheduler"
)

// eventsActions are the EventBridge actions that change the rules: the
// state file is written after each that succeeded, before it answers
// (docs/durability.md §4).
var eventsActions = map[string]bool{
	"PutRule": true, "DeleteRule": true, "EnableRule": true, "DisableRule": true,
	"PutTargets": true, "RemoveTargets": true,
}

// restoreEvents gives EventBridge its rules and the Scheduler its
// schedules from the state file. On an error the emulator's services are
// closed and the error names the state file.
func (e *Emulator) restoreEvents() error {
	err := e.Events.Restore()
	if err == nil {
		err = e.Scheduler.Restore()
	}
	if err == nil {
		return nil
	}
	e.Scheduler.Close()
	e.Events.Close()
	e.SFN.Close()
	e.Lambda.Close()
	err = errors.Join(err, e.IoT.Close(), e.closeStore())
	return fmt.Errorf("new emulator: %w", e.withStateFile(err))
}

// savingEvents wraps the EventBridge API: a call of eventsActions that
// succeeded is answered once the rules are in the state file.
func (e *Emulator) savingEvents(next awsapi.JSONHandler) awsapi.JSONHandler {
	if e.store == nil {
		return next
	}
	return func(ctx context.Context, op string, body []byte) (any, *awsapi.Error) {
		out, aerr := next(ctx, op, body)
		if aerr == nil && eventsActions[op] {
			if err := e.Events.Save(); err != nil {
				e.cfg.Logger.Error("eventbridge rules not saved", "error", err)
				return nil, awsapi.Internal(err)
			}
		}
		return out, aerr
	}
}

// createSchedule creates a template's Scheduler schedule. One the state
// file kept is updated to the template's when it differs from it (the
// template wins, as for state machines), and left as it is otherwise, so
// that a one-time schedule missed while the emulator was down still runs.
func (e *Emulator) createSchedule(s scheduler.Schedule) error {
	_, err := e.Scheduler.Create(s)
	if e.store == nil || !errors.Is(err, scheduler.ErrConflict) {
		return err
	}
	kept, err := e.Scheduler.Get(s.GroupName, s.Name)
	if err != nil {
		return err
	}
	if scheduler.SameSettings(kept, s) {
		return nil
	}
	_, err = e.Scheduler.Update(s)
	return err
}
