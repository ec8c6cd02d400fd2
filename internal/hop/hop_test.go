package hop

import (
	"context"
	"log/slog"
	"testing"
)

func TestTokenRef(t *testing.T) {
	a, b := TokenRef("token-a"), TokenRef("token-b")
	if len(a) != 12 || a == b || a != TokenRef("token-a") {
		t.Fatalf("TokenRef = %q, %q: want 12 stable hex digits, distinct per token", a, b)
	}
	// The fingerprint is part of the log format: the Lambdas and workers of
	// other versions must compute the same value.
	if got, want := TokenRef("tok-1"), "65dcf16ea3df"; got != want {
		t.Fatalf("TokenRef(tok-1) = %s, want %s", got, want)
	}
}

// records keeps the records a logger handles.
type records struct {
	slog.Handler
	got []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }

func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.got = append(r.got, rec)
	return nil
}

func TestLog(t *testing.T) {
	rec := &records{}
	Log(context.Background(), slog.New(rec), "dispatch-publish", "topic", "tenant1/to/worker", TokenRefKey, TokenRef("t"))
	if len(rec.got) != 1 {
		t.Fatalf("%d records, want 1", len(rec.got))
	}
	r := rec.got[0]
	attrs := map[string]string{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
	want := map[string]string{Key: "dispatch-publish", "topic": "tenant1/to/worker", TokenRefKey: TokenRef("t")}
	if r.Message != Message || r.Level != slog.LevelInfo || len(attrs) != len(want) {
		t.Fatalf("record %q level %v attrs %v, want %q at Info with %v", r.Message, r.Level, attrs, Message, want)
	}
	for k, v := range want {
		if attrs[k] != v {
			t.Fatalf("attr %s = %q, want %q (all: %v)", k, attrs[k], v, attrs)
		}
	}
}

func TestOrDefault(t *testing.T) {
	l := slog.New(&records{})
	if OrDefault(l) != l || OrDefault(nil) != slog.Default() {
		t.Fatal("OrDefault: want the logger given, or slog.Default for nil")
	}
}
