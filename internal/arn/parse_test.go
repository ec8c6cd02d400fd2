package arn

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		service string
		typ     string
		fields  []string
		fails   bool
	}{
		{in: "arn:aws:states:us-east-1:123456789012:stateMachine:M", service: "states", typ: "stateMachine", fields: []string{"M"}},
		{in: "arn:aws:states:us-east-1:123456789012:stateMachine:M:3", service: "states", typ: "stateMachine", fields: []string{"M", "3"}},
		{in: "arn:aws:states:us-east-1:123456789012:execution:M:e1", service: "states", typ: "execution", fields: []string{"M", "e1"}},
		{in: "arn:aws:states:us-east-1:123456789012:activity:a", service: "states", typ: "activity", fields: []string{"a"}},
		{in: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", service: "lambda", typ: "function", fields: []string{"f", "$LATEST"}},
		{in: "arn:aws:iam::123456789012:role/path/name", service: "iam", typ: "role", fields: []string{"path/name"}},
		{in: "arn:aws:iot:us-east-1:123456789012:topic/a/b", service: "iot", typ: "topic", fields: []string{"a/b"}},
		{in: "arn:aws:states:us-east-1:123456789012:stateMachine", service: "states", typ: "stateMachine"},
		{in: "arn:aws:states:us-east-1:123456789012", fails: true},
		{in: "stateMachine:M", fails: true},
		{in: "", fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := Parse(tt.in)
			if (err != nil) != tt.fails {
				t.Fatalf("Parse(%q) error = %v, want failure %v", tt.in, err, tt.fails)
			}
			if tt.fails {
				return
			}
			if a.Service != tt.service || a.Type != tt.typ || !cmp.Equal(a.Fields, tt.fields) {
				t.Errorf("Parse(%q) = %s %s %q, want %s %s %q", tt.in, a.Service, a.Type, a.Fields, tt.service, tt.typ, tt.fields)
			}
			if a.String() != tt.in {
				t.Errorf("String() = %q, want %q", a.String(), tt.in)
			}
		})
	}
}

func TestParseResource(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"arn:aws:states:us-east-1:123456789012:activity:a", true},
		{"arn:aws:states:us-east-1:123456789012:activity:", false},
		{"arn:aws:states:us-east-1:123456789012:stateMachine:a", false},
		{"arn:aws:lambda:us-east-1:123456789012:activity:a", false},
		{"arn:aws:states:::lambda:invoke", false},
		{"not an arn", false},
	}
	for _, tt := range tests {
		if _, ok := ParseResource(tt.in, "states", "activity"); ok != tt.want {
			t.Errorf("ParseResource(%q) = %v, want %v", tt.in, ok, tt.want)
		}
	}
}
