package interp

import (
	"strings"
	"testing"
)

// JSONata states and workflow variables pass validation (AWS accepts them)
// but stepwire does not run them yet: the execution fails with
// States.Runtime naming the missing feature.
func TestValidatedButNotRunFeatures(t *testing.T) {
	for _, tt := range []struct{ name, def, want string }{
		{"jsonata", `{"StartAt":"P","QueryLanguage":"JSONata","States":{"P":{"Type":"Pass","Output":"{% 1 %}","End":true}}}`, "JSONata"},
		{"assign", `{"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"x":1},"End":true}}}`, "'Assign'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.def, `{}`)
			if h.last.Status != StatusFailed || h.last.Error != "States.Runtime" || !strings.Contains(h.last.Cause, tt.want) {
				t.Fatalf("status %s error %s cause %q", h.last.Status, h.last.Error, h.last.Cause)
			}
		})
	}
}
