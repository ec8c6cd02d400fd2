package main

import (
	"errors"
	"testing"
	"time"
)

// closer's Close returns err, or never when stuck.
type closer struct {
	stuck bool
	err   error
}

func (c closer) Close() error {
	if c.stuck {
		select {} // a shutdown that never ends
	}
	return c.err
}

// closeWithin returns Close's answer, or gives up at the limit whatever
// Close does.
func TestCloseWithin(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name    string
		c       closer
		wantErr bool
		within  time.Duration
	}{
		{"quick", closer{}, false, time.Second},
		{"quick error", closer{err: boom}, true, time.Second},
		{"stuck", closer{stuck: true}, true, time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			begin := time.Now()
			err := closeWithin(tc.c, 100*time.Millisecond)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if d := time.Since(begin); d > tc.within {
				t.Fatalf("closeWithin took %v", d)
			}
		})
	}
}
