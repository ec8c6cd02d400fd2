package asl

import (
	"fmt"
	"testing"
)

// TestNoJSONataContext checks that Parse leaves the context object out of
// $states only when no expression can read it.
func TestNoJSONataContext(t *testing.T) {
	for expr, want := range map[string]bool{
		`$states.input.n`:                true,
		`$states.input`:                  true,
		`$x + 1`:                         true,
		`$states.context.Execution.Name`: false,
		`$states`:                        false,
		`$keys($states)`:                 false,
		`$states.*`:                      false,
		`$lookup($states, "context")`:    false,
		`($s := $states; $s.context)`:    false,
	} {
		def := fmt.Sprintf(`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":%q,"End":true}}}`, "{% "+expr+" %}")
		d, err := Parse([]byte(def), Options{})
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if d.NoJSONataContext != want {
			t.Errorf("%s: NoJSONataContext %v, want %v", expr, d.NoJSONataContext, want)
		}
	}
}
