package asl

import (
	"slices"

	"github.com/stepwire/stepwire/emulator/asl/jsonata"
)

// CodeUnsupportedJSONata reports an expression that parses but reads what
// Step Functions does not provide.
const CodeUnsupportedJSONata = "UNSUPPORTED_JSONATA_EXPRESSION"

// checkJSONataRefs reports what an expression reads that Step Functions
// refuses when a definition is created, at the field's location: a path
// starting from neither $states nor a variable (the expression has no
// context item), $$, and $states.errorOutput outside a catcher's Output and
// Assign. Texts as AWS answers them (docs/step-functions.md §1.7; the
// ValidateStateMachineDefinition answers recorded in floci#2670 and
// floci's AWS-measured validation tests).
func checkJSONataRefs(e jsonata.Expr, p *problems, loc string) {
	r := e.Refs()
	if r.StatesWhole || slices.Contains(r.States, "context") {
		p.readsContext = true
	}
	for _, name := range r.TopLevel {
		if name == "$$" {
			p.add(CodeUnsupportedJSONata, loc, "Reference to '$$' is not supported.")
			continue
		}
		p.add(CodeUnsupportedJSONata, loc, "Reference to '%s' at the top level is not supported.", name)
	}
	for _, f := range r.States {
		if f == "errorOutput" && !p.inCatcher {
			p.add(CodeUnsupportedJSONata, loc, "Field '$states.errorOutput' does not exist.")
		}
	}
}
