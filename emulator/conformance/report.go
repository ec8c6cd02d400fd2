package conformance

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Tally counts verdicts.
type Tally struct{ Passed, Failed, Skipped int }

func (t *Tally) add(r Result) {
	switch {
	case r.Skip != "":
		t.Skipped++
	case r.Err != nil:
		t.Failed++
	default:
		t.Passed++
	}
}

// Total is the number of cases counted.
func (t Tally) Total() int { return t.Passed + t.Failed + t.Skipped }

// Report sums up a run.
type Report struct {
	All        Tally
	ByCategory map[string]*Tally
	// Bar and BarByCategory count the cases the core bar applies to
	// (InBar); QueryBar those of the JSONata and variables bar.
	Bar           Tally
	BarByCategory map[string]*Tally
	QueryBar      Tally
	// Changes counts, per documented AWS change, the cases recorded
	// before it that were compared with today's behaviour.
	Changes map[string]int
	// Deployed counts the cases that ran with Lambda functions their
	// tests deployed (Case.Functions).
	Deployed int
}

// Summarise tallies results overall, per category and for the bar.
func Summarise(results []Result) Report {
	r := Report{ByCategory: map[string]*Tally{}, BarByCategory: map[string]*Tally{}, Changes: map[string]int{}}
	for _, res := range results {
		for _, ch := range res.Changes {
			r.Changes[ch]++
		}
		if res.Skip == "" && len(res.Case.Functions) > 0 {
			r.Deployed++
		}
		cat := res.Case.Category
		r.All.add(res)
		tally(r.ByCategory, cat).add(res)
		if InBar(res.Case) {
			r.Bar.add(res)
			tally(r.BarByCategory, cat).add(res)
		}
		if InQueryBar(res.Case) {
			r.QueryBar.add(res)
		}
	}
	return r
}

func tally(m map[string]*Tally, k string) *Tally {
	if m[k] == nil {
		m[k] = &Tally{}
	}
	return m[k]
}

// PrintFailures writes one line per failing case with a diff cut to
// width characters (0: the whole diff).
func PrintFailures(w io.Writer, results []Result, width int) {
	for _, r := range results {
		if r.Err == nil {
			continue
		}
		msg := r.Err.Error()
		if width > 0 {
			msg = short(msg, width)
		}
		fmt.Fprintf(w, "FAIL %s [%s]: %s\n", r.Case.ID, r.Case.File, msg)
	}
}

// PrintTable writes passed/failed/skipped per category.
func PrintTable(w io.Writer, r Report) {
	cats := make([]string, 0, len(r.ByCategory))
	for k := range r.ByCategory {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	fmt.Fprintf(w, "%-24s %7s %7s %7s\n", "category", "passed", "failed", "skipped")
	fmt.Fprintln(w, strings.Repeat("-", 48))
	for _, k := range cats {
		t := r.ByCategory[k]
		fmt.Fprintf(w, "%-24s %7d %7d %7d\n", k, t.Passed, t.Failed, t.Skipped)
	}
}

// PrintBarTallies writes the counts the bars are computed over.
func PrintBarTallies(w io.Writer, r Report) {
	fmt.Fprintf(w, "bar (JSONPath and API): %d of %d pass (%.1f%%), %d skipped\n",
		r.Bar.Passed, r.Bar.Total(), 100*ratio(r.Bar.Passed, r.Bar.Total()), r.Bar.Skipped)
	fmt.Fprintf(w, "bar (JSONata and variables): %d of %d pass (%.1f%%), %d skipped\n",
		r.QueryBar.Passed, r.QueryBar.Total(), 100*ratio(r.QueryBar.Passed, r.QueryBar.Total()), r.QueryBar.Skipped)
}

// PrintChanges says how many cases were recorded before each documented
// AWS change and compared with today's behaviour.
func PrintChanges(w io.Writer, r Report) {
	names := make([]string, 0, len(r.Changes))
	for name := range r.Changes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "compared with today's behaviour, %d cases recorded before an AWS change: %s\n", r.Changes[name], name)
	}
}

// PrintDeployed says how many cases ran the Lambda functions their tests
// deployed, as the functions file beside their directory lists them.
func PrintDeployed(w io.Writer, r Report) {
	if r.Deployed > 0 {
		fmt.Fprintf(w, "ran the Lambda functions their tests deployed (%s): %d cases\n", FunctionsFile, r.Deployed)
	}
}

// PrintSummary writes the final line:
// "conformance: <N> passed, <M> failed, <K> skipped".
func PrintSummary(w io.Writer, r Report) {
	fmt.Fprintf(w, "conformance: %d passed, %d failed, %d skipped\n", r.All.Passed, r.All.Failed, r.All.Skipped)
}

// Bar is the pass bar: MinPass, MinCategory and MaxSkip over the cases
// InBar counts, MinQueryPass over those InQueryBar counts.
type Bar struct {
	MinPass, MinCategory, MaxSkip float64
	MinQueryPass                  float64
}

// Check returns one line per unmet requirement of the bar.
func (b Bar) Check(r Report) []string {
	var out []string
	if n := r.Bar.Total(); n > 0 {
		if p := ratio(r.Bar.Passed, n); p < b.MinPass {
			out = append(out, fmt.Sprintf("%.1f%% of %d cases pass, the bar is %.1f%%", 100*p, n, 100*b.MinPass))
		}
		if s := ratio(r.Bar.Skipped, n); s > b.MaxSkip {
			out = append(out, fmt.Sprintf("%.1f%% of %d cases are skipped, at most %.1f%% may be", 100*s, n, 100*b.MaxSkip))
		}
	}
	if n := r.QueryBar.Total(); n > 0 {
		if p := ratio(r.QueryBar.Passed, n); p < b.MinQueryPass {
			out = append(out, fmt.Sprintf("JSONata and variables: %.1f%% of %d cases pass, the bar is %.1f%%", 100*p, n, 100*b.MinQueryPass))
		}
	}
	cats := make([]string, 0, len(r.BarByCategory))
	for k := range r.BarByCategory {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	for _, k := range cats {
		t := r.BarByCategory[k]
		if p := ratio(t.Passed, t.Total()); t.Total() > 0 && p < b.MinCategory {
			out = append(out, fmt.Sprintf("category %s: %.1f%% of %d cases pass, the bar is %.1f%%", k, 100*p, t.Total(), 100*b.MinCategory))
		}
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// short cuts a text for a one-line report.
func short(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
