package aslgraph

import (
	"strings"
	"testing"
)

const sample = `{
 "StartAt": "Check",
 "States": {
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 1, "Next": "Fan"}], "Default": "Work"},
  "Work": {"Type": "Task", "Resource": "x", "Retry": [{"ErrorEquals": ["States.ALL"]}],
           "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}], "Next": "Check2"},
  "Check2": {"Type": "Choice", "Choices": [{"Variable": "$.b", "BooleanEquals": true, "Next": "Work"}], "Default": "Done"},
  "Fan": {"Type": "Parallel", "Branches": [
     {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
     {"StartAt": "B2", "States": {"B2": {"Type": "Map", "ItemProcessor": {"StartAt": "M1", "States": {"M1": {"Type": "Pass", "End": true}}}, "End": true}}}
   ], "Next": "Done"},
  "Oops": {"Type": "Fail", "Error": "E"},
  "Done": {"Type": "Succeed"},
  "Lonely": {"Type": "Pass", "End": true}
 }}`

func TestParseOrderAndEdges(t *testing.T) {
	sc, err := Parse(sample)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, st := range sc.States {
		names = append(names, st.Name)
	}
	if got := strings.Join(names, ","); got != "Check,Fan,Work,Done,Check2,Oops,Lonely" {
		t.Fatalf("order %s", got)
	}
	work := sc.States[2]
	if work.Retry != 1 || len(work.Edges) != 2 || work.Edges[1].Kind != EdgeCatch {
		t.Fatalf("Work: %+v", work)
	}
	if fan := sc.States[1]; len(fan.Children) != 2 || len(fan.Children[1].States[0].Children) != 1 {
		t.Fatalf("Fan children: %+v", fan.Children)
	}
}

func TestLayersGoDownExceptBackEdges(t *testing.T) {
	sc, _ := Parse(sample)
	l := lay(sc)
	y := func(n string) float64 { return l.byNm[n].y }
	if !(y("Check") < y("Work") && y("Work") < y("Check2") && y("Check2") < y("Done") && y("Work") < y("Oops")) {
		t.Fatalf("layers: Check %v Work %v Check2 %v Done %v Oops %v", y("Check"), y("Work"), y("Check2"), y("Done"), y("Oops"))
	}
	fan := l.byNm["Fan"]
	if len(fan.inner) != 2 || fan.h <= nodeH || fan.w < fan.inner[1].dx+fan.inner[1].lay.w {
		t.Fatalf("Fan not sized around its branches: %+v", fan)
	}
}

func TestSVGClassesAndEscaping(t *testing.T) {
	sc, _ := Parse(`{"StartAt":"<a>","States":{"<a>":{"Type":"Pass","Next":"b"},"b":{"Type":"Succeed"}}}`)
	svg := SVG(sc, map[string]Status{"<a>": Succeeded, "b": Running})
	for _, want := range []string{`st-succeeded" data-state="&lt;a&gt;"`, `st-running" data-state="b"`, `edge edge-next`} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<a>") {
		t.Error("state name not escaped")
	}
	full := SVG(mustParse(t, sample), nil)
	for _, want := range []string{"edge-catch", "edge-retry", "edge-choice", "edge-default", "compound", "st-notreached"} {
		if !strings.Contains(full, want) {
			t.Errorf("svg lacks %q", want)
		}
	}
}

func TestParseRefusesJunkAndBoundsDepth(t *testing.T) {
	if _, err := Parse("{"); err == nil {
		t.Fatal("junk parsed")
	}
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	for range 40 {
		def = `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[` + def + `]}}}`
	}
	sc := mustParse(t, def)
	depth := 0
	for st := sc.States[0]; len(st.Children) > 0; st = st.Children[0].States[0] {
		depth++
	}
	if depth != maxDepth {
		t.Fatalf("depth %d, want %d", depth, maxDepth)
	}
}

func mustParse(t *testing.T, def string) *Scope {
	t.Helper()
	sc, err := Parse(def)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
