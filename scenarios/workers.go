package scenarios

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/internal/faultlink"
	"github.com/stepwire/stepwire/worker"
)

// downWait bounds (wall clock) how long the end of a scenario waits for a
// worker to stop.
const downWait = 250 * time.Millisecond

// readyTimeout bounds (wall clock) how long a worker may take to connect.
const readyTimeout = 10 * time.Second

// proc is one life of a worker: an MQTT worker (worker.Worker) or an
// activity worker (worker.ActivityWorker).
type proc interface {
	Run(ctx context.Context) error
	Ready() <-chan struct{}
	Drain()
	Busy() int
	Received() uint64
	Published() uint64
}

// liveWorker is a scenario's worker across its lives: each start runs a
// new stepwire worker, as a restarted process would, behind a new link.
// An MQTT worker's link leads to the broker; an activity worker's to the
// Step Functions API.
type liveWorker struct {
	r    *runner
	spec WorkerSpec
	tls  *tls.Config // MQTT workers

	mu      sync.Mutex
	w       proc        // nil while down
	client  *sfn.Client // the activity worker's, through its link
	link    *faultlink.Link
	stop    context.CancelFunc
	done    chan struct{}
	retired counters // what earlier lives received and published

	taken     atomic.Int64 // jobs taken, for behaviours by order
	readies   atomic.Int64 // times a life connected and subscribed
	connected atomic.Bool  // connected and subscribed, link not cut
}

func (lw *liveWorker) config(l *faultlink.Link) worker.Config {
	s := lw.spec
	return worker.Config{ClientID: s.Thing, Endpoint: l.Addr(), TLSConfig: lw.tls,
		SubscribeTopic: s.Subscribe, SubmitTopic: s.Submit, Clock: lw.r.clk,
		DrainTimeout: s.DrainTimeout, MaxConcurrent: s.MaxConcurrent, NoHeartbeats: !s.heartbeats(),
		// Short: a killed worker's last reports wait for a broker that is
		// gone; a healthy publish on loopback takes milliseconds.
		PublishTimeout: 2 * time.Second,
		OnReady: func() {
			lw.readies.Add(1)
			lw.connected.Store(true)
		}}
}

// start runs a new life of the worker and waits until it is subscribed.
func (lw *liveWorker) start(ctx context.Context) error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w != nil {
		return fmt.Errorf("worker %s is already running", lw.spec.Name)
	}
	l, w, err := lw.newLife()
	if err != nil {
		return fmt.Errorf("worker %s: %w", lw.spec.Name, err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(runCtx); err != nil {
			lw.r.book.logger(lw.spec.Name).Warn("worker stopped", "err", err)
		}
		lw.retire(w)
	}()
	lw.w, lw.link, lw.stop, lw.done = w, l, stop, done
	select {
	case <-w.Ready():
		return nil
	case <-done:
		return fmt.Errorf("worker %s stopped before it was ready", lw.spec.Name)
	case <-time.After(readyTimeout):
		return fmt.Errorf("worker %s not ready after %v", lw.spec.Name, readyTimeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// newLife builds a worker process behind a new link.
func (lw *liveWorker) newLife() (*faultlink.Link, proc, error) {
	if lw.spec.Activity != "" {
		return lw.newActivityLife()
	}
	l, err := faultlink.New(lw.r.w.mqtt)
	if err != nil {
		return nil, nil, err
	}
	w, err := worker.New(lw.config(l), worker.HandlerFunc(lw.handle), lw.r.book.logger(lw.spec.Name))
	if err != nil {
		l.Close()
		return nil, nil, err
	}
	return l, w, nil
}

// newActivityLife builds an activity worker whose Step Functions client
// reaches the API through a new link.
func (lw *liveWorker) newActivityLife() (*faultlink.Link, proc, error) {
	u, err := url.Parse(lw.r.w.api)
	if err != nil {
		return nil, nil, fmt.Errorf("API endpoint %q: %w", lw.r.w.api, err)
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "443", false: "80"}[u.Scheme == "https"]
	}
	l, err := faultlink.New(net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return nil, nil, err
	}
	// Every connection goes through the link, whatever the URL's host;
	// TLS (on AWS) is still checked against that host.
	var d net.Dialer
	transport := &http.Transport{MaxIdleConnsPerHost: 16,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return d.DialContext(ctx, "tcp", l.Addr()) }}
	client := sfn.NewFromConfig(lw.r.w.cfg, func(o *sfn.Options) {
		o.BaseEndpoint = aws.String(lw.r.w.api)
		o.HTTPClient = &http.Client{Transport: transport}
		// No retries on the SDK's wall-clock backoff: a call through a cut
		// link fails at once, and the worker polls again on its clock.
		o.Retryer = aws.NopRetryer{}
	})
	w, err := worker.NewActivity(worker.ActivityConfig{ActivityArn: lw.r.activities[lw.spec.Activity], WorkerName: lw.spec.Name,
		SFN: client, NoHeartbeats: !lw.spec.heartbeats(), MaxConcurrent: lw.spec.MaxConcurrent, DrainTimeout: lw.spec.DrainTimeout,
		CallTimeout: 5 * time.Second, Clock: lw.r.clk}, worker.HandlerFunc(lw.handle), lw.r.book.logger(lw.spec.Name))
	if err != nil {
		l.Close()
		return nil, nil, err
	}
	lw.client = client
	lw.connected.Store(true)
	return l, w, nil
}

// retire takes a life that has stopped out of the counts: what it
// received and published stays in retired.
func (lw *liveWorker) retire(w proc) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w != w {
		return
	}
	lw.retireCounts(w)
	lw.w = nil
	lw.connected.Store(false)
}

// retireCounts keeps what a life received and published. lw.mu is held.
func (lw *liveWorker) retireCounts(w proc) {
	lw.retired.received += w.Received()
	if _, ok := w.(*worker.ActivityWorker); ok {
		lw.retired.activitySent += w.Published()
		return
	}
	lw.retired.published += w.Published()
}

// read adds the worker's counters to c.
func (lw *liveWorker) read(c *counters) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	c.received += lw.retired.received
	c.published += lw.retired.published
	c.activitySent += lw.retired.activitySent
	if lw.spec.Activity == "" && lw.w != nil && !lw.connected.Load() && lw.link.Connections() > 0 {
		c.connecting++ // a connection is through the link, not yet subscribed
	}
	if lw.w == nil {
		return
	}
	c.busy += int64(lw.w.Busy())
	c.received += lw.w.Received()
	if aw, ok := lw.w.(*worker.ActivityWorker); ok {
		// Its calls are synchronous: none waits for a completion Lambda.
		c.activityCalls += int64(aw.Calls())
		c.activityPolls += int64(aw.Polling())
		c.activitySent += aw.Published()
		return
	}
	c.published += lw.w.Published()
}

// sigterm starts a graceful drain; the life ends when Run returns.
func (lw *liveWorker) sigterm() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w == nil {
		return fmt.Errorf("worker %s is not running", lw.spec.Name)
	}
	lw.w.Drain()
	return nil
}

// kill ends the life at once, as a lost host: its link is cut for good
// (nothing it says reaches the broker again) and its process stops. It
// does not wait for the process.
func (lw *liveWorker) kill() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w == nil {
		return fmt.Errorf("worker %s is not running", lw.spec.Name)
	}
	lw.link.Close()
	lw.stop()
	lw.retireCounts(lw.w)
	lw.w, lw.stop, lw.done = nil, nil, nil // not waited for at the end
	lw.connected.Store(false)
	return nil
}

// cut takes the worker off the network; restore puts it back.
func (lw *liveWorker) cut() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.link == nil {
		return fmt.Errorf("worker %s has never run", lw.spec.Name)
	}
	lw.connected.Store(false)
	lw.link.Cut()
	return nil
}

func (lw *liveWorker) restore() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.link == nil {
		return fmt.Errorf("worker %s has never run", lw.spec.Name)
	}
	lw.link.Restore()
	return nil
}

// down stops the current life and waits for it, at the end of a scenario.
func (lw *liveWorker) down() {
	lw.mu.Lock()
	stop, done, l := lw.stop, lw.done, lw.link
	lw.mu.Unlock()
	if stop == nil {
		return
	}
	stop()
	select {
	case <-done:
	case <-time.After(downWait): // a report to a task long gone, through a cut link
	}
	if l != nil {
		l.Close()
	}
}

// behaviourFor picks the behaviour of the n-th job (from 1) of jobType.
func (lw *liveWorker) behaviourFor(n int64, jobType string) Behaviour {
	s := lw.spec
	if int(n) <= len(s.Jobs) {
		return s.Jobs[n-1]
	}
	if b, ok := s.ByType[jobType]; ok {
		return b
	}
	if s.Default != nil {
		return *s.Default
	}
	return Behaviour{Do: "run"}
}
