package sfnemu

import (
	"context"
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/hop"
)

// SendTaskSuccess completes the task of a token with output (JSON).
func (s *Service) SendTaskSuccess(_ context.Context, r SendTaskSuccessInput) error {
	e, err := s.taskExecution(r.TaskToken)
	if err != nil {
		return err
	}
	if err := checkJSON(r.Output, ErrInvalidOutput); err != nil {
		return err
	}
	return s.callback(e, "SendTaskSuccess", interp.CallbackSuccess{Token: r.TaskToken, Output: r.Output}, r.TaskToken)
}

// SendTaskFailure fails the task of a token.
func (s *Service) SendTaskFailure(_ context.Context, r SendTaskFailureInput) error {
	ev := interp.CallbackFailure{Token: r.TaskToken}
	if r.Error != nil {
		ev.Error, ev.HasError = *r.Error, true
	}
	if r.Cause != nil {
		ev.Cause, ev.HasCause = *r.Cause, true
	}
	e, err := s.taskExecution(r.TaskToken)
	if err != nil {
		return err
	}
	return s.callback(e, "SendTaskFailure", ev, r.TaskToken)
}

// SendTaskHeartbeat reports the task of a token alive.
func (s *Service) SendTaskHeartbeat(_ context.Context, r SendTaskHeartbeatInput) error {
	e, err := s.taskExecution(r.TaskToken)
	if err != nil {
		return err
	}
	return s.callback(e, "SendTaskHeartbeat", interp.CallbackHeartbeat{Token: r.TaskToken}, r.TaskToken)
}

// taskExecution finds the execution a token belongs to: garbage is
// InvalidToken, a genuine token of an unknown execution TaskDoesNotExist.
func (s *Service) taskExecution(token string) (*execution, error) {
	ref, err := s.tokens.parse(token)
	if err != nil {
		return nil, err
	}
	var e *execution
	if s.tokens.current(ref) {
		s.execMu.RLock()
		e = s.execByID[ref.exec]
		s.execMu.RUnlock()
	}
	if e == nil {
		return nil, fail(ErrTaskDoesNotExist, "Provided task does not exist")
	}
	return e, nil
}

// callback feeds a SendTask* call to its execution. A token that is no
// longer open (task finished, retried, timed out; execution closed) is
// TaskTimedOut, as on AWS.
func (s *Service) callback(e *execution, op string, ev interp.Event, token string) error {
	e.mu.Lock()
	if _, closed := e.closed[token]; closed || e.status != interp.StatusRunning {
		e.mu.Unlock()
		return fail(ErrTaskTimedOut, "Provided task does not exist anymore")
	}
	d := &delivery{ev: ev, reply: make(chan error, 1), accept: func() {
		if s.hopsOn() {
			hop.Log(context.Background(), s.log, "callback", "op", op, "executionArn", e.arn)
		}
	}}
	s.feedLocked(e, d, driveOwn)
	err := <-d.reply
	if err == nil {
		err = s.journalWaitShared(e)
	}
	switch {
	case errors.Is(err, interp.ErrTokenClosed), errors.Is(err, interp.ErrUnknownTask):
		return fail(ErrTaskTimedOut, "Provided task does not exist anymore")
	case err != nil:
		return fmt.Errorf("%s on %s: %w", op, e.arn, err)
	}
	return nil
}
