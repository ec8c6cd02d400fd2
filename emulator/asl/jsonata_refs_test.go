package asl

import "testing"

// Definition-time JSONata checks (docs/step-functions.md §1.7 "Static checks";
// texts and locations from floci#2670 and floci's validation tests, run
// against ValidateStateMachineDefinition on AWS).
func TestJSONataReferenceProblems(t *testing.T) {
	const pre = `Invalid State Machine Definition: '`
	tests := []struct{ name, def, want string }{
		{"bare field in an Output object",
			pass(`{"v":"{% phone %}"}`),
			pre + `UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported. at /States/E/Output/v'`},
		{"context item", pass(`"{% $ %}"`),
			pre + `UNSUPPORTED_JSONATA_EXPRESSION: Reference to '$' at the top level is not supported. at /States/E/Output'`},
		{"root", pass(`"{% $$ %}"`),
			pre + `UNSUPPORTED_JSONATA_EXPRESSION: Reference to '$$' is not supported. at /States/E/Output'`},
		{"errorOutput outside a catcher", pass(`"{% $states.errorOutput %}"`),
			pre + `UNSUPPORTED_JSONATA_EXPRESSION: Field '$states.errorOutput' does not exist. at /States/E/Output'`},
		{"two names in one expression", pass(`"{% a & b %}"`),
			pre + `UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'a' at the top level is not supported. at /States/E/Output, ` +
				`UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'b' at the top level is not supported. at /States/E/Output'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.def), Options{})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// What AWS accepts: paths from $states and variables, names after the
// first step, and $states.errorOutput in a catcher's Output and Assign.
func TestJSONataReferencesAccepted(t *testing.T) {
	defs := []string{
		pass(`{"a":"{% $states.input.items[value > 3].name %}","b":"{% $x.y %}","c":"{% $map($states.input.l, function($v){$v.n}) %}"}`),
		`{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		 "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Assign":{"e":"{% $states.errorOutput.Cause %}"},"Next":"D"}],"Next":"D"},
		 "D":{"Type":"Succeed"}}}`,
	}
	for _, def := range defs {
		if _, err := Parse([]byte(def), Options{}); err != nil {
			t.Errorf("%s: %v", def, err)
		}
	}
}

// pass is a one-state JSONata machine whose Pass state E has output.
func pass(output string) string {
	return `{"QueryLanguage":"JSONata","StartAt":"E","States":{"E":{"Type":"Pass","Output":` + output + `,"End":true}}}`
}
