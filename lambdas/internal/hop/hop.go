// Package hop holds the small logging conventions shared by the stepwire
// Lambdas: every hop of a job logs one Info line with message "hop", and task
// tokens appear only as a short fingerprint.
package hop

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
)

// Message is the log message of every hop line.
const Message = "hop"

// TokenRef returns a short, stable fingerprint of a task token, so log lines
// of one job can be correlated across hops without writing the token itself.
// The worker computes the same value.
func TokenRef(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:6])
}

// OrDefault returns logger, or slog.Default when logger is nil.
func OrDefault(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		return slog.Default()
	}
	return logger
}
