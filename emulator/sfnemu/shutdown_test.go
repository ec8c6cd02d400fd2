package sfnemu

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Close returns within two seconds whatever runs: executions waiting on
// timers, a state whose evaluation does not end, a Lambda that ignores its
// context. It logs how many executions were running.
func TestCloseIsBoundedAndCountsRunningExecutions(t *testing.T) {
	const waiting = 1000
	g := newGate()
	t.Cleanup(g.open)
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	var logs syncBuffer
	svc := New(Config{
		Clock: clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), Random: g,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Invoke: func(context.Context, string, []byte) (InvokeResult, error) {
			<-stuck // ignores its context
			return InvokeResult{Payload: []byte(`{}`)}, nil
		},
	})
	wait := createMachine(t, svc, "Wait", "", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)
	for range waiting {
		startExec(t, svc, wait)
	}
	startExec(t, svc, createMachine(t, svc, "Slow", "", slowDefinition))
	g.waitEntered(t)
	startExec(t, svc, createMachine(t, svc, "Call", "",
		`{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}}`))

	begin := time.Now()
	svc.Close()
	require.Less(t, time.Since(begin), 2*time.Second)
	require.Contains(t, logs.String(), fmt.Sprintf("stopping with %d executions running", waiting+2))
}
