package sdkretry

import (
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/aws/smithy-go"
)

func TestRetriesOnlyAClosedConnection(t *testing.T) {
	r := OnClosedConn()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"closed while reading the response", fmt.Errorf("deserialization failed: read tcp: %w", net.ErrClosed), true},
		{"throttled", &smithy.GenericAPIError{Code: "ThrottlingException", Message: "slow down"}, false},
		{"service error", &smithy.GenericAPIError{Code: "ExecutionDoesNotExist"}, false},
		{"other transport error", errors.New("connection refused"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.IsErrorRetryable(tt.err); got != tt.want {
				t.Fatalf("IsErrorRetryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
	if r.MaxAttempts() != 3 {
		t.Fatalf("MaxAttempts = %d, want 3", r.MaxAttempts())
	}
}
