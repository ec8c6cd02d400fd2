package interp

import (
	"fmt"
	"testing"
)

// AWS "Accessing execution data from the Context object in Step
// Functions" and "Using Map state in Distributed mode": a child execution
// of a Map Run is an execution of its own, so $$.Execution inside it is
// the child's: its ARN (…:execution:<machine>/<label>:<uuid>), its name
// (the uuid), its input (the item) and its start time; the role is the
// parent's. RedriveCount is there for a STANDARD child ("RedriveTime …
// only for child workflows of type Standard" after a Map Run redrive), not
// for an EXPRESS one.
func TestDistributedMapChildContext(t *testing.T) {
	const (
		jsonPath = `"Parameters":{"Execution.$":"$$.Execution","StateMachine.$":"$$.StateMachine"}`
		jsonata  = `"Output":{"Execution":"{% $states.context.Execution %}","StateMachine":"{% $states.context.StateMachine %}"}`
	)
	const childWant = `{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:sm/L:uuid-2","Input":"a",` +
		`"StartTime":"2024-04-18T06:00:10.000Z","Name":"uuid-2","RoleArn":"arn:aws:iam::123456789012:role/r"%s},` +
		`"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:sm","Name":"sm"}}`
	cases := []struct {
		name, lang, pass, execType, redrive string
	}{
		{"jsonpath standard", "", jsonPath, "STANDARD", `,"RedriveCount":0`},
		{"jsonpath express", "", jsonPath, "EXPRESS", ``},
		{"jsonata standard", `"QueryLanguage":"JSONata",`, jsonata, "STANDARD", `,"RedriveCount":0`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items := `"ItemsPath":"$.items",`
			if tc.lang != "" {
				items = `"Items":"{% $states.input.items %}",`
			}
			def := `{` + tc.lang + `"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"M"},
 "M":{"Type":"Map","Label":"L",` + items + `
  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"` + tc.execType + `"},"StartAt":"P","States":{
   "P":{"Type":"Pass",` + tc.pass + `,"End":true}}},"End":true}}}`
			h := newHarnessWith(t, def, `{"items":["a"]}`, func(o *Options) {
				n := 0
				o.NewUUID = func() string { n++; return fmt.Sprintf("uuid-%d", n) }
			})
			h.fireNext()
			child := h.children[h.childOrder[0]]
			if got, want := string(child.Output), fmt.Sprintf(childWant, tc.redrive); got != want {
				t.Fatalf("child output:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
