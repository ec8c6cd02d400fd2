package sfnemu

import (
	"context"
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/hop"
)

// Limits of the SendTask* members (service model).
const (
	maxTokenLen = 2048
	maxErrorLen = 256
	maxCauseLen = 32768
)

// sendTaskSuccess is SendTaskSuccess.
func (s *Service) sendTaskSuccess(token, output *string) error {
	var v violations
	checkToken(&v, token)
	v.required("output", output != nil)
	if output != nil {
		v.length("output", *output, 0, maxPayload, true)
	}
	if err := v.err(); err != nil {
		return err
	}
	e, err := s.taskExecution(*token)
	if err != nil {
		return err
	}
	if err := checkJSON(*output, ErrInvalidOutput); err != nil {
		return err
	}
	return s.callback(e, "SendTaskSuccess", interp.CallbackSuccess{Token: *token, Output: *output}, *token)
}

// sendTaskFailure is SendTaskFailure.
func (s *Service) sendTaskFailure(token, errStr, cause *string) error {
	var v violations
	checkToken(&v, token)
	ev := interp.CallbackFailure{}
	if errStr != nil {
		v.length("error", *errStr, 0, maxErrorLen, true)
		ev.Error, ev.HasError = *errStr, true
	}
	if cause != nil {
		v.length("cause", *cause, 0, maxCauseLen, true)
		ev.Cause, ev.HasCause = *cause, true
	}
	if err := v.err(); err != nil {
		return err
	}
	e, err := s.taskExecution(*token)
	if err != nil {
		return err
	}
	ev.Token = *token
	return s.callback(e, "SendTaskFailure", ev, *token)
}

// sendTaskHeartbeat is SendTaskHeartbeat.
func (s *Service) sendTaskHeartbeat(token *string) error {
	var v violations
	checkToken(&v, token)
	if err := v.err(); err != nil {
		return err
	}
	e, err := s.taskExecution(*token)
	if err != nil {
		return err
	}
	return s.callback(e, "SendTaskHeartbeat", interp.CallbackHeartbeat{Token: *token}, *token)
}

func checkToken(v *violations, token *string) {
	v.required("taskToken", token != nil)
	if token != nil {
		v.length("taskToken", *token, 1, maxTokenLen, false)
	}
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
	defer e.mu.Unlock()
	if _, closed := e.closed[token]; closed || e.status != statusRunning {
		return fail(ErrTaskTimedOut, "Provided task does not exist anymore")
	}
	step, err := s.step(e, ev)
	switch {
	case errors.Is(err, interp.ErrTokenClosed), errors.Is(err, interp.ErrUnknownTask):
		return fail(ErrTaskTimedOut, "Provided task does not exist anymore")
	case err != nil:
		return fmt.Errorf("%s on %s: %w", op, e.arn, err)
	}
	hop.Log(context.Background(), s.log, "callback", "op", op, "executionArn", e.arn)
	s.apply(e, step)
	return nil
}
