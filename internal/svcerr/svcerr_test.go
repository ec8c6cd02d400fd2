package svcerr

import (
	"errors"
	"testing"
)

func TestError(t *testing.T) {
	kind := errors.New("state machine does not exist")
	err := Newf(kind, "arn:%d", 1)
	var e *Error
	if !errors.Is(err, kind) || !errors.As(err, &e) || e.Detail != "arn:1" || err.Error() != "state machine does not exist: arn:1" {
		t.Fatalf("err = %v (%#v)", err, e)
	}
}
