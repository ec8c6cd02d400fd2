package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// transcript renders an execution's history, its events encoded as
// GetExecutionHistory returns them, one event per line ("<id>
// <previousEventId> <type> <details>"), with what changes from run to run
// — timestamps, ARNs' and requests' UUIDs, task tokens, dates — replaced
// by placeholders, so it can be compared with a golden file.
func transcript(ctx context.Context, srv *emulatortest.Server, arn string) (string, error) {
	h, err := srv.SFN.GetExecutionHistory(ctx, sfnemu.GetExecutionHistoryInput{ExecutionArn: arn, Page: sfnemu.Page{Size: 1000}})
	if err != nil {
		return "", fmt.Errorf("get execution history: %w", err)
	}
	raw, err := json.Marshal(h.Events)
	if err != nil {
		return "", err
	}
	var events []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &events); err != nil {
		return "", fmt.Errorf("decode history: %w", err)
	}
	var b strings.Builder
	for _, ev := range events {
		b.WriteString(eventLine(ev))
		b.WriteByte('\n')
	}
	return normalise(b.String()), nil
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
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`), "<time>"},
	{regexp.MustCompile(`[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d (UTC|GMT)`), "<date>"},
}

func normalise(s string) string {
	for _, p := range placeholders {
		s = p.re.ReplaceAllString(s, p.with)
	}
	return s
}
