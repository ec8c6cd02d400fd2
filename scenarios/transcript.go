package scenarios

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// transcript renders a result for a golden file: each execution's history,
// its events encoded as GetExecutionHistory returns them, one event per
// line ("<id> <previousEventId> <type> <details>"), then the MQTT messages
// the observer saw ("<topic> <payload>", in virtual time order; not the
// times themselves, which a worker's reconnect jitter moves),
// with what changes from run to run — timestamps, ARNs' and requests'
// UUIDs, task tokens, dates — replaced by placeholders.
func transcript(r Result) string {
	var b strings.Builder
	for _, name := range r.order {
		fmt.Fprintf(&b, "== execution %s\n", name)
		for _, ev := range r.execs[name].Events {
			b.WriteString(eventLine(ev))
			b.WriteByte('\n')
		}
	}
	type line struct {
		at   time.Duration
		text string
	}
	var lines []line
	for _, m := range r.mqtt {
		if m.Client == observerName {
			lines = append(lines, line{m.At, fmt.Sprintf("%s %s", m.Topic, normalise(string(m.Payload)))})
		}
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if lines[i].at != lines[j].at {
			return lines[i].at < lines[j].at
		}
		return lines[i].text < lines[j].text
	})
	b.WriteString("== mqtt\n")
	for _, l := range lines {
		b.WriteString(l.text + "\n")
	}
	return normalise(b.String())
}

func eventLine(ev map[string]json.RawMessage) string {
	var typ string
	_ = json.Unmarshal(ev["type"], &typ)
	line := fmt.Sprintf("%s %s %s", ev["id"], ev["previousEventId"], typ)
	for k, v := range ev {
		if strings.HasSuffix(k, "EventDetails") {
			line += " " + string(v)
		}
	}
	return line
}

var placeholders = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<uuid>"},
	{regexp.MustCompile(`[A-Za-z0-9+/]{200,}={0,2}`), "<token>"},
	// A progress topic's last level is jobwire.TaskRef of the token.
	{regexp.MustCompile(`(/progress/[^/ ]+/)[0-9a-f]{12}\b`), "${1}<taskref>"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`), "<time>"},
	{regexp.MustCompile(`[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d (UTC|GMT)`), "<date>"},
}

func normalise(s string) string {
	for _, p := range placeholders {
		s = p.re.ReplaceAllString(s, p.with)
	}
	return s
}
