package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// tenStates is a 10-state Pass/Choice machine: five Pass states that
// reshape the input and five Choice states that route on it.
var tenStates = func() string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"P0","States":{`)
	for i := 0; i < 5; i++ {
		next := fmt.Sprintf("C%d", i)
		fmt.Fprintf(&b, `"P%d":{"Type":"Pass","Parameters":{"n.$":"$.n","step":%d,"tag.$":"States.Format('s{}', $.n)"},"ResultPath":"$.p%d","Next":"%s"},`, i, i, i, next)
		after := "Done"
		if i < 4 {
			after = fmt.Sprintf("P%d", i+1)
		}
		fmt.Fprintf(&b, `"C%d":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":%d,"Next":"%s"}],"Default":"%s"},`, i, -1-i, after, after)
	}
	b.WriteString(`"Done":{"Type":"Succeed"}}}`)
	return b.String()
}()

// thousandMap is an inline Map over 1,000 items with a Pass per item.
const thousandMap = `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,
	"ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
	"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Item","States":{"Item":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.v, $.i)"},"End":true}}},
	"End":true}}}`

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// run executes a machine that needs nothing from the outside world.
func run(b *testing.B, def *asl.Definition, input json.RawMessage) {
	m := interp.New(def, input, interp.Options{Region: "us-east-1"})
	if s := m.Start(t0); s.Status != interp.StatusSucceeded {
		b.Fatalf("status %s: %s %s", s.Status, s.Error, s.Cause)
	}
}

// BenchmarkInterpreter measures the pure interpreter with no I/O: a
// 10-state Pass/Choice machine (executions/s) and a 1,000-iteration inline
// Map (ms per Map).
func BenchmarkInterpreter(b *testing.B) {
	ten, err := asl.Parse([]byte(tenStates), asl.Options{})
	if err != nil {
		b.Fatal(err)
	}
	mapDef, err := asl.Parse([]byte(thousandMap), asl.Options{})
	if err != nil {
		b.Fatal(err)
	}
	items := make([]int, 1000)
	for i := range items {
		items[i] = i
	}
	mapInput, _ := json.Marshal(map[string]any{"items": items})
	for b.Loop() {
		const n = 20000
		start := time.Now()
		for i := 0; i < n; i++ {
			run(b, ten, json.RawMessage(`{"n":7}`))
		}
		eps := n / time.Since(start).Seconds()
		const maps = 50
		start = time.Now()
		for i := 0; i < maps; i++ {
			run(b, mapDef, mapInput)
		}
		mapMs := float64(time.Since(start)) / maps / float64(time.Millisecond)
		b.ReportMetric(eps, "executions/s")
		b.ReportMetric(mapMs, "ms/map1000")
		fmt.Printf("interp_10state_eps=%.0f interp_map1000_ms=%.2f\n", eps, mapMs)
	}
}

// BenchmarkInterpreterExecution runs the 10-state JSONPath machine once per
// iteration: the form benchstat and pprof (make profile) read.
func BenchmarkInterpreterExecution(b *testing.B) {
	def, err := asl.Parse([]byte(tenStates), asl.Options{})
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"n":7}`)
	b.ReportAllocs()
	for b.Loop() {
		run(b, def, input)
	}
}
