package sfnemu

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// StartSyncExecution runs an Express execution to completion and answers
// with its result, 200 even when it failed. The SDKs and the CLI send it to
// the host "sync-<endpoint host>"; against a local endpoint the client must
// turn host prefixing off (README: aws-sdk-go-v2 middleware
// smithyhttp.DisableEndpointHostPrefix, CLI AWS_DISABLE_HOST_PREFIX_INJECTION).

// Express billing: 64 MB units, duration rounded up to 100 ms.
const (
	billedMemoryMB   = 64
	billingIncrement = 100 * time.Millisecond
)

// StartSyncExecution runs an Express execution to its end and returns its
// result, even when it failed; it gives up when ctx ends.
func (s *Service) StartSyncExecution(ctx context.Context, r StartSyncExecutionInput) (SyncExecution, error) {
	sm, in, err := s.checkStart(r.StateMachineArn, r.Name, r.Input)
	if err != nil {
		return SyncExecution{}, err
	}
	if sm.typ != typeExpress {
		return SyncExecution{}, fail(ErrStateMachineTypeNotSupported,
			"This operation is not supported by this type of state machine")
	}
	e, _, err := s.launch(sm, in, nil)
	if err != nil {
		return SyncExecution{}, err
	}
	select {
	case <-e.doneChan():
	case <-ctx.Done():
		return SyncExecution{}, fmt.Errorf("start sync execution %s: %w", e.arn, ctx.Err())
	case <-s.ctx.Done():
		return SyncExecution{}, fmt.Errorf("start sync execution %s: %w", e.arn, errClosed)
	}
	return syncResult(e.info(), r.MetadataOnly), nil
}

// syncResult is StartSyncExecution's answer for a closed execution.
func syncResult(info execInfo, metadataOnly bool) SyncExecution {
	out := SyncExecution{ExecutionArn: info.arn, StateMachineArn: info.smArn, Name: info.name,
		StartDate: info.start, StopDate: info.stop, Status: info.status,
		Input: info.input, DataIncluded: true, Billing: billing(info.stop.Sub(info.start))}
	if info.status == interp.StatusSucceeded {
		o := string(info.output)
		out.Output = &o
	}
	out.Error, out.Cause = info.failure.ErrorPtr(), info.failure.CausePtr()
	if metadataOnly {
		out.Input, out.Output, out.DataIncluded = "", nil, false
	}
	return out
}

// billing is what AWS bills an Express execution of duration d.
func billing(d time.Duration) Billing {
	n := max(1, (d+billingIncrement-1)/billingIncrement)
	return Billing{MemoryMB: billedMemoryMB, DurationMillis: int64(n * billingIncrement / time.Millisecond)}
}
