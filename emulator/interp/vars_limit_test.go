package interp

import (
	"strings"
	"testing"
)

// Workflow variables are limited to 256 KiB per variable (docs/step-functions.md
// §1.7, [Doc]): an oversized value fails the state with States.Runtime,
// naming the variable, before the state's whole assignment is measured.
func TestVariableSizeLimit(t *testing.T) {
	big := strings.Repeat("x", MaxVariableBytes)
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
	 "Assign":{"small":1,"big":"{% $states.input.s %}"},"End":true}}}`
	h := newHarness(t, def, `{"s":"`+big+`"}`)
	if h.last.Status != StatusFailed || h.last.Error != "States.Runtime" {
		t.Fatalf("status %s, error %s", h.last.Status, h.last.Error)
	}
	want := "An error occurred while executing the state 'P' (entered at the event id #2). The value of the variable 'big' exceeds the maximum size of 262144 bytes: 262146 bytes."
	if h.last.Cause != want {
		t.Fatalf("cause = %s", h.last.Cause)
	}
	// At exactly the limit the variable passes; the state's assignment,
	// with its names around it, is then over its own limit.
	at := newHarness(t, def, `{"s":"`+big[2:]+`"}`)
	if !strings.Contains(at.last.Cause, "The variables assigned by the state exceed") {
		t.Fatalf("cause = %s", at.last.Cause)
	}
}
