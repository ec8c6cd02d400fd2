package jsonv

import "testing"

// RFC 8259 §6: a number has no leading zeros; "0", "0.5" and "-0" are
// numbers, "01" and "-01" are not (found by FuzzDecode, which compares
// with encoding/json).
func TestLeadingZeros(t *testing.T) {
	for text, ok := range map[string]bool{"0": true, "0.5": true, "-0": true, "10": true, "0e1": true, "00": false, "01": false, "-01": false} {
		if _, err := DecodeString(text); (err == nil) != ok {
			t.Errorf("Decode(%q) error = %v, want ok %v", text, err, ok)
		}
	}
}
