package worker

import (
	"encoding/json"
	"testing"
)

// TestNumberAsTheDecoderReadsIt checks number's shortcut for plain numbers
// against the decoder it skips.
func TestNumberAsTheDecoderReadsIt(t *testing.T) {
	for _, raw := range []string{`15`, `-3`, `0`, `1.5e3`, `-0.25`, `12345678901234567890`, `1E-7`,
		`"15"`, `null`, `true`, `[1]`, `{"a":1}`, `-`, `01`, `1.`, `15 `, ` 15`, `1 2`, `--1`, `1e`} {
		got, gotErr := number(map[string]json.RawMessage{"a": json.RawMessage(raw)}, "a")
		want, wantErr := decodeNumber(json.RawMessage(raw), "a")
		if got != want || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Errorf("%q: number = %q, %v; the decoder reads %q, %v", raw, got, gotErr, want, wantErr)
		}
	}
}
