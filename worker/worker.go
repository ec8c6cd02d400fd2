// Package worker is stepwire's on-premises worker: it holds an X.509 client
// certificate, keeps an MQTT 5 session with the broker (AWS IoT Core or the
// stepwire emulator), receives jobs ({"Input": ..., "TaskToken": ...}) on its
// job topic, runs each in its own goroutine through a Handler, and publishes
// the result, a named failure, or heartbeats to its submit topic, and a
// handler's progress, retained, to the job's progress topic (progress.go),
// following the contract in internal/jobwire.
//
// The session is persistent (Clean Start false, Config.SessionExpiry, one
// hour by default), so jobs published while the worker is offline are
// delivered when it returns; the message handler is in place before the
// first CONNECT, so such a job is never acknowledged unseen (mqtt.go).
// At most Config.MaxConcurrent jobs run at once; later ones wait,
// unacknowledged, never dropped (admission.go). A job delivered twice runs
// once (dedup.go). Cancel messages on <job topic>/control stop a running job
// by task token or job id. Drain stops taking jobs and lets running ones
// finish before Run returns (drain.go). Workers of one Config.ShareGroup
// split the jobs through an MQTT shared subscription. The same worker runs
// against the emulator and against AWS; only the endpoint and certificates
// differ. An ActivityWorker (activityworker.go) runs the same handlers on
// jobs it polls from a Step Functions activity instead, without MQTT.
package worker

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eclipse/paho.golang/autopaho"

	"github.com/stepwire/stepwire/internal/hop"
)

// disconnectTimeout bounds the clean disconnect at shutdown, on the wall
// clock: it waits on the network.
const disconnectTimeout = 5 * time.Second

// settleTimeout bounds the wait for owed PUBACKs before that disconnect,
// on the wall clock. They are sent once every earlier message in line is
// released (acks.go), which must not hold the shutdown up.
const settleTimeout = time.Second

// errShutdown is the cancel cause of jobs running when the worker stops.
var errShutdown = errors.New("worker is shutting down")

// Worker is one MQTT connection that runs jobs. Create it with New and start
// it with Run; a Worker runs once.
type Worker struct {
	cfg    Config
	url    *url.URL
	tls    *tls.Config
	h      Handler
	logger *slog.Logger

	ready     chan struct{}
	readyOnce sync.Once

	// cm is set once the connection manager exists; cmSet is closed then.
	cm    *autopaho.ConnectionManager
	cmSet chan struct{}

	// connCtx is the connection manager's context; stopConn ends it, and
	// with it any wait between reconnect attempts, at shutdown.
	connCtx  context.Context
	stopConn context.CancelFunc

	jobs     jobTable
	jobsCtx  context.Context
	stopJobs context.CancelCauseFunc

	// mu guards stopping, wg.Add, running, line and recent.
	mu sync.Mutex
	// stopping is set once the worker takes no more jobs (drain or stop).
	stopping bool
	// wg counts running jobs and tracked reports.
	wg sync.WaitGroup
	// running counts the jobs holding a slot; line holds, in arrival order,
	// the jobs waiting for one (see admission.go).
	running int
	line    []waiting
	// recent remembers the jobs taken on, to run a redelivered job once.
	recent *recentJobs
	// acks is the MQTT session; it tracks PUBACKs not yet sent (acks.go).
	acks *ackSession
	// out reports job messages: over MQTT, or directly (report.go).
	out sink

	// health writes Config.HealthFile (health.go).
	health healthFile

	// drainReq is closed by Drain.
	drainReq  chan struct{}
	drainOnce sync.Once

	// Activity counters; see Busy, Received and Published.
	busy      atomic.Int64
	received  atomic.Uint64
	published atomic.Uint64
}

// New checks cfg and loads its certificates. A nil logger means slog.Default.
func New(cfg Config, h Handler, logger *slog.Logger) (*Worker, error) {
	if h == nil {
		return nil, errors.New("worker: nil handler")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	u, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	tlsCfg, err := cfg.tlsConfig(u)
	if err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	logger = hop.OrDefault(logger)
	cfg = cfg.withDefaults()
	w := &Worker{
		cfg:    cfg,
		url:    u,
		tls:    tlsCfg,
		h:      h,
		logger: logger.With("clientId", cfg.ClientID),
		ready:  make(chan struct{}),
		cmSet:  make(chan struct{}),
		jobs:   newJobTable(),
		recent: newRecentJobs(cfg.DedupCapacity),

		drainReq: make(chan struct{}),
	}
	w.acks = newAckSession(w.logger)
	if w.out, err = w.newSink(); err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	return w, nil
}

// Run connects and runs jobs until ctx is cancelled or a drain ends, then
// cancels the jobs still running (they fail with Worker.ShuttingDown), waits
// up to Config.ShutdownTimeout (on Config.Clock) for them to report, and
// disconnects cleanly. It returns nil after a clean shutdown. To stop
// gracefully, call Worker.Drain before cancelling ctx; see drain.go.
func Run(ctx context.Context, cfg Config, h Handler, logger *slog.Logger) error {
	w, err := New(cfg, h, logger)
	if err != nil {
		return err
	}
	return w.Run(ctx)
}

// Ready is closed the first time the worker is connected and subscribed to
// its job topic.
func (w *Worker) Ready() <-chan struct{} { return w.ready }

// Run is the method form of the package-level Run.
func (w *Worker) Run(ctx context.Context) error {
	// Jobs and the connection outlive ctx so that running jobs can report
	// after the shutdown signal.
	base := context.WithoutCancel(ctx)
	w.jobsCtx, w.stopJobs = context.WithCancelCause(base)
	w.connCtx, w.stopConn = context.WithCancel(base)
	defer w.stopConn()
	cm, err := autopaho.NewConnection(w.connCtx, w.clientConfig())
	if err != nil {
		return fmt.Errorf("worker: start mqtt connection: %w", err)
	}
	w.cm = cm
	close(w.cmSet)
	w.writeHealth(HealthConnecting)
	defer w.writeHealth(HealthStopped)
	w.logger.InfoContext(ctx, "worker started", "endpoint", w.url.String(),
		"subscribeTopic", w.cfg.SubscribeTopic, "submitTopic", w.cfg.SubmitTopic)

	select {
	case <-ctx.Done():
	case <-w.drainReq:
		w.writeHealth(HealthDraining)
		w.drain(ctx)
	}
	w.stop()
	w.settleAcks(base)
	dctx, cancel := context.WithTimeout(base, disconnectTimeout)
	defer cancel()
	if err := w.disconnect(dctx, cm); err != nil {
		return fmt.Errorf("worker: disconnect: %w", err)
	}
	w.logger.Info("worker stopped")
	return nil
}

// settleAcks waits up to settleTimeout for the PUBACKs of the jobs taken
// on, and says so when one was not sent: the broker delivers that job
// again to the next connection with this client ID.
func (w *Worker) settleAcks(base context.Context) {
	ctx, cancel := context.WithTimeout(base, settleTimeout)
	defer cancel()
	w.acks.settle(ctx)
	if n := w.acks.owing(); n > 0 {
		w.logger.Warn("acknowledgements not sent before disconnecting; the broker will deliver those jobs again", "count", n)
	}
}

// disconnect ends the connection cleanly (a DISCONNECT packet when it is
// up) and any wait between reconnect attempts, and waits for the connection
// manager to stop.
func (w *Worker) disconnect(ctx context.Context, cm *autopaho.ConnectionManager) error {
	w.stopConn()
	return cm.Disconnect(ctx)
}

// stop takes no more jobs, cancels the running ones and waits up to
// Config.ShutdownTimeout for them to publish their outcome.
func (w *Worker) stop() {
	w.stopTaking()
	w.stopJobs(errShutdown)
	if !w.waitJobs(nil, w.cfg.ShutdownTimeout) {
		w.logger.Warn("jobs still running at shutdown", "running", w.jobs.len())
	}
}
