package hoplog

import (
	"bytes"
	"log/slog"
	"regexp"
	"testing"
)

func TestFormat(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(New(&buf, false)).With("service", "states")
	l.Info("hop", "hop", "dispatch", "function", "SendToWorker")
	l.Debug("hidden")
	l.Warn("odd thing", "why", "two words")
	want := regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{6}  hop  dispatch           service=states function=SendToWorker\n` +
		`\d\d:\d\d:\d\d\.\d{6}  WARN odd thing service=states why="two words"\n$`)
	if !want.Match(buf.Bytes()) {
		t.Fatalf("output:\n%s", buf.String())
	}
}
