package iotemu

import "testing"

// Close is idempotent: the emulator's own Close and a test's cleanup may
// both call it.
func TestCloseTwice(t *testing.T) {
	s, err := New(Config{MQTTAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
