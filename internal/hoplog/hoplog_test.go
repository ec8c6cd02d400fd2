package hoplog

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"testing"

	"github.com/stepwire/stepwire/internal/hop"
)

func TestFormat(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(New(&buf, false)).With("service", "states")
	hop.Log(context.Background(), l, "dispatch", "function", "SendToWorker")
	l.Debug("hidden")
	l.Warn("odd thing", "why", "two words")
	want := regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{6}  hop  dispatch           service=states function=SendToWorker\n` +
		`\d\d:\d\d:\d\d\.\d{6}  WARN odd thing service=states why="two words"\n$`)
	if !want.Match(buf.Bytes()) {
		t.Fatalf("output:\n%s", buf.String())
	}
}
