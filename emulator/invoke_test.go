package emulator

import (
	"context"
	"errors"
	"testing"

	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// The composition root tells Step Functions a missing function from any
// other failed call: only the former wraps sfnemu.ErrFunctionNotFound.
func TestInvokeMapsFunctionNotFound(t *testing.T) {
	e := &Emulator{Lambda: lambdaemu.New("us-east-1", "123456789012", nil)}
	if _, err := e.invoke(context.Background(), "missing", []byte(`{}`)); !errors.Is(err, sfnemu.ErrFunctionNotFound) {
		t.Fatalf("missing function: err = %v, want sfnemu.ErrFunctionNotFound", err)
	}
	e.Lambda.Close()
	_, err := e.invoke(context.Background(), "missing", []byte(`{}`))
	if err == nil || errors.Is(err, sfnemu.ErrFunctionNotFound) {
		t.Fatalf("closed Lambda service: err = %v, want an error that is not ErrFunctionNotFound", err)
	}
}
