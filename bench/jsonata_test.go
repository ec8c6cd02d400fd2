package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// tenJSONata is a 10-state JSONata machine: every state reshapes the
// input with Output and keeps a running value with Assign; every other one
// is a Choice routing on a Condition.
var tenJSONata = func() string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","QueryLanguage":"JSONata","States":{`)
	for i := 0; i < 10; i++ {
		next := fmt.Sprintf("S%d", i+1)
		if i == 9 {
			next = "Done"
		}
		if i%2 == 1 {
			fmt.Fprintf(&b, `"S%d":{"Type":"Choice","Choices":[{"Condition":"{%% $states.input.n > %d %%}","Next":"%s",`+
				`"Assign":{"last":"{%% $states.input.n %%}"}}],"Default":"%s","Output":"{%% $states.input %%}"},`, i, -1-i, next, next)
			continue
		}
		fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Assign":{"total":"{%% ($exists($total) ? $total : 0) + $states.input.n %%}"},`+
			`"Output":{"n":"{%% $states.input.n %%}","step":%d,"tag":"{%% 's' & $string($states.input.n) %%}"},"Next":"%s"},`, i, i, next)
	}
	b.WriteString(`"Done":{"Type":"Succeed"}}}`)
	return b.String()
}()

// BenchmarkJSONata compares the JSONata machine with the 10-state JSONPath
// machine of BenchmarkInterpreter, both through the interpreter alone.
func BenchmarkJSONata(b *testing.B) {
	jdef, err := asl.Parse([]byte(tenJSONata), asl.Options{})
	if err != nil {
		b.Fatal(err)
	}
	pdef, err := asl.Parse([]byte(tenStates), asl.Options{})
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"n":7}`)
	for b.Loop() {
		jeps := rate(func() { run(b, jdef, input) })
		peps := rate(func() { run(b, pdef, input) })
		b.ReportMetric(jeps, "jsonata_executions/s")
		b.ReportMetric(peps, "jsonpath_executions/s")
		fmt.Printf("jsonata_eps=%.0f jsonpath_eps=%.0f\n", jeps, peps)
	}
}

// rate runs f for about half a second and returns calls per second.
func rate(f func()) float64 {
	start := time.Now()
	n := 0
	for time.Since(start) < 500*time.Millisecond {
		f()
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkJSONataExecution runs the 10-state JSONata machine once per
// iteration: the form benchstat and pprof (make profile) read.
func BenchmarkJSONataExecution(b *testing.B) {
	def, err := asl.Parse([]byte(tenJSONata), asl.Options{})
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"n":7}`)
	b.ReportAllocs()
	for b.Loop() {
		run(b, def, input)
	}
}
