package interp

import "testing"

func TestEventTypeDetailsKey(t *testing.T) {
	for typ, want := range map[EventType]string{
		EventTaskScheduled:           "taskScheduledEventDetails",
		EventExecutionFailed:         "executionFailedEventDetails",
		EventMapIterationAborted:     "mapIterationAbortedEventDetails",
		EventEvaluationFailed:        "evaluationFailedEventDetails",
		EventStateEntered("Task"):    "stateEnteredEventDetails",
		EventStateExited("Parallel"): "stateExitedEventDetails",
		EventLambdaFunctionTimedOut:  "lambdaFunctionTimedOutEventDetails",
		EventStateAborted("Wait"):    "waitStateAbortedEventDetails",
		EventType(""):                "",
	} {
		if got := typ.DetailsKey(); got != want {
			t.Errorf("%q.DetailsKey() = %q, want %q", typ, got, want)
		}
	}
}
