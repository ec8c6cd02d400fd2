package awsapi

import (
	"encoding/json"
	"testing"
	"time"
)

func TestEpochIsSecondsWithMilliseconds(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1712345678, 123_456_789), "1712345678.123"},
		{time.Unix(1712345678, 0), "1712345678"},
		{time.Unix(1712345678, 50_000_000), "1712345678.05"},
		{time.Unix(0, 0), "0"},
	} {
		b, err := json.Marshal(map[string]any{"d": Epoch(tc.t)})
		if err != nil || string(b) != `{"d":`+tc.want+`}` {
			t.Errorf("Epoch(%v) = %s, %v; want %s", tc.t, b, err, tc.want)
		}
		// The same number encoding/json writes for the float64 seconds.
		f, _ := json.Marshal(float64(tc.t.UnixMilli()) / 1000)
		if string(f) != tc.want {
			t.Errorf("float64 seconds %s, want %s", f, tc.want)
		}
	}
}
