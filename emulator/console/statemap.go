package console

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/console/aslgraph"
	"github.com/stepwire/stepwire/emulator/interp"
)

// stateTrack is what the history says of one state so far.
type stateTrack struct {
	status aslgraph.Status
	fails  int  // failed attempts since it was last entered
	lastOK bool // its last attempt succeeded
}

// stateStatuses reads what an execution did with each state from its
// history. An event belongs to the state whose StateEntered event its
// PreviousEventID chain reaches, so Parallel branches and Map iterations
// that interleave are told apart. A state exited after a failed attempt
// was caught (its last attempt failed) or retried (it succeeded); states
// still running when the execution failed, timed out or was aborted are
// failed.
func stateStatuses(events []interp.HistoryEvent, status interp.Status) map[string]aslgraph.Status {
	owner := make(map[int64]string, len(events))
	tracks := map[string]*stateTrack{}
	for _, ev := range events {
		name := owner[ev.PreviousEventID]
		t := string(ev.Type)
		switch {
		case strings.HasSuffix(t, "StateEntered"):
			if d, ok := ev.Details.(*interp.StateEnteredDetails); ok {
				name = d.Name
			}
			tracks[name] = &stateTrack{status: aslgraph.Running}
			if ev.Type == interp.EventStateEntered("Fail") {
				tracks[name].status = aslgraph.Failed
			}
		case strings.HasSuffix(t, "StateExited"):
			if d, ok := ev.Details.(*interp.StateExitedDetails); ok {
				name = d.Name
			}
			if tr := tracks[name]; tr != nil {
				tr.status = exitStatus(tr)
			}
		case attemptFailed(t):
			if tr := tracks[name]; tr != nil {
				tr.fails++
				tr.lastOK = false
			}
		case strings.HasSuffix(t, "Succeeded") && !strings.HasPrefix(t, "Execution") && !strings.HasPrefix(t, "MapIteration"):
			if tr := tracks[name]; tr != nil {
				tr.lastOK = true
			}
		}
		owner[ev.ID] = name
	}
	out := make(map[string]aslgraph.Status, len(tracks))
	ended := status != interp.StatusRunning && status != interp.StatusSucceeded
	for name, tr := range tracks {
		if ended && tr.status == aslgraph.Running {
			tr.status = aslgraph.Failed
		}
		out[name] = tr.status
	}
	return out
}

func exitStatus(tr *stateTrack) aslgraph.Status {
	switch {
	case tr.status == aslgraph.Failed:
		return aslgraph.Failed
	case tr.fails > 0 && !tr.lastOK:
		return aslgraph.Caught
	case tr.fails > 0:
		return aslgraph.Retried
	}
	return aslgraph.Succeeded
}

// attemptFailed reports an event that ends an attempt of a state in
// failure (a task's, a Lambda's, an activity's, a Map's or a Parallel's).
func attemptFailed(t string) bool {
	if strings.HasPrefix(t, "Execution") || strings.HasPrefix(t, "MapIteration") {
		return false
	}
	return strings.HasSuffix(t, "Failed") || strings.HasSuffix(t, "TimedOut")
}
