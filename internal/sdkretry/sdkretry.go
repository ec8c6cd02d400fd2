// Package sdkretry provides the retry policy of stepwire's tests that
// drive the emulator with aws-sdk-go-v2 clients: every error the emulator
// answers reaches the test on the first attempt, and only a call whose
// connection the HTTP transport closed under it is tried again.
package sdkretry

import (
	"errors"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// OnClosedConn returns a retryer that retries, at once and at most twice,
// a call that failed with net.ErrClosed: Go's transport may close a kept
// connection while the SDK reads a response from it (aws-sdk-go-v2 issue
// 2737; the SDK's standard retryer retries it too). It retries nothing
// else, unlike the standard retryer, so that throttling and service
// errors reach the test as the emulator answered them.
func OnClosedConn() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None
		o.Retryables = []retry.IsErrorRetryable{retry.IsErrorRetryableFunc(closedConn)}
	})
}

func closedConn(err error) aws.Ternary {
	if errors.Is(err, net.ErrClosed) {
		return aws.TrueTernary
	}
	return aws.FalseTernary
}
