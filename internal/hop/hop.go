// Package hop holds stepwire's one convention for logging a job's path:
// every hop of a job (dispatch, publish, worker, result, rule, completion,
// callback) logs one Info record whose message is Message and whose Key
// attribute names the hop, and task tokens appear only as TokenRef, a short
// fingerprint that the Lambdas and the worker compute alike, so one job's
// hops can be correlated without writing its token. internal/hoplog prints
// these records as aligned terminal lines.
package hop

import (
	"context"
	"log/slog"

	"github.com/stepwire/stepwire/internal/jobwire"
)

const (
	// Message is the log message of every hop record.
	Message = "hop"
	// Key is the attribute that names the hop, e.g. "worker-received".
	Key = "hop"
	// TokenRefKey is the attribute that carries TokenRef of the task token.
	TokenRefKey = "tokenRef"
)

// TokenRef returns a short, stable fingerprint of a task token, so log lines
// of one job can be correlated across hops without writing the token itself.
func TokenRef(token string) string { return jobwire.TaskRef(token) }

// Log logs the hop record for hop name on logger, with args as further
// attributes (key-value pairs, as slog.Logger.Info takes them).
func Log(ctx context.Context, logger *slog.Logger, name string, args ...any) {
	if !Enabled(ctx, logger) {
		return // build no record, nor the attribute list for it
	}
	logger.InfoContext(ctx, Message, append([]any{Key, name}, args...)...)
}

// Enabled reports whether logger logs hop records: callers whose
// attributes cost something to compute (TokenRef hashes the token) ask it
// first.
func Enabled(ctx context.Context, logger *slog.Logger) bool {
	return logger.Enabled(ctx, slog.LevelInfo)
}

// OrDefault returns logger, or slog.Default when logger is nil. It is
// stepwire's one logger default: every package that takes a logger treats
// nil this way (emulatortest passes a discarding logger of its own).
func OrDefault(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		return slog.Default()
	}
	return logger
}
