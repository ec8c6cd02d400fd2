package jobwire

import (
	"errors"
	"testing"
)

func TestParseResult(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		kind    Kind
		errName string
		err     error
	}{
		{"sample success", `{"TaskToken":"t","result":57}`, KindSuccess, "", nil},
		{"sample exception is a failure", `{"TaskToken":"t","result":null,"exception":"TypeError"}`, KindFailure, "TypeError", nil},
		{"error field", `{"TaskToken":"t","error":"Boom","cause":"c"}`, KindFailure, "Boom", nil},
		{"error wins over result", `{"TaskToken":"t","result":1,"error":"Boom"}`, KindFailure, "Boom", nil},
		{"heartbeat", `{"TaskToken":"t","kind":"heartbeat"}`, KindHeartbeat, "", nil},
		{"no token", `{"result":1}`, "", "", ErrNoToken},
		{"not json", `hello`, "", "", ErrNotJSON},
		{"array", `[1]`, "", "", ErrNotJSON},
		{"unknown kind", `{"TaskToken":"t","kind":"other"}`, "", "", ErrUnknownKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseResult([]byte(tt.in))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if r.Kind != tt.kind || r.Error != tt.errName {
				t.Fatalf("got kind %q error %q, want %q %q", r.Kind, r.Error, tt.kind, tt.errName)
			}
		})
	}
}

func TestBuilders(t *testing.T) {
	tests := []struct {
		name string
		msg  func() ([]byte, error)
		want string
		kind Kind
	}{
		{"success", func() ([]byte, error) { return Success("t", 57) }, `{"TaskToken":"t","result":57}`, KindSuccess},
		{"failure", func() ([]byte, error) { return Failure("t", "Boom", "why") }, `{"TaskToken":"t","kind":"failure","error":"Boom","cause":"why"}`, KindFailure},
		{"heartbeat", func() ([]byte, error) { return Heartbeat("t") }, `{"TaskToken":"t","kind":"heartbeat"}`, KindHeartbeat},
		{"progress", func() ([]byte, error) { return Progress("t", map[string]int{"done": 1, "of": 2}) },
			`{"TaskToken":"t","kind":"progress","progress":{"done":1,"of":2}}`, KindProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := tt.msg()
			if err != nil || string(msg) != tt.want {
				t.Fatalf("got %s, %v; want %s", msg, err, tt.want)
			}
			if r, err := ParseResult(msg); err != nil || r.Kind != tt.kind {
				t.Fatalf("ParseResult = %+v, %v; want kind %s", r, err, tt.kind)
			}
		})
	}
	if _, err := Progress("t", func() {}); err == nil {
		t.Fatal("Progress of a value JSON cannot encode succeeded")
	}
}

func TestControlTopic(t *testing.T) {
	if got := ControlTopic("tenant1/to/worker"); got != "tenant1/to/worker/control" {
		t.Fatalf("ControlTopic = %q", got)
	}
}
