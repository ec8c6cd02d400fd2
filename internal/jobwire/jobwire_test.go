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
