package interp

import "time"

// isoTime formats a time as the context object does
// (2024-01-02T03:04:05.678Z).
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
