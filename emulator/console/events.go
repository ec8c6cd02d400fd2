package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Live updates. A page with JavaScript opens
// /console/events?watch=<its own path and query>; the stream looks at what
// that page shows every PollInterval, cheaply (a fingerprint, not a
// render), and sends an event "change" when it differs, upon which the
// page fetches itself again. Polling keeps the console off the services'
// hot paths: an emulator running 1,000 executions/s is not slowed by
// watchers, only read by them. Streams are capped (MaxStreams) and each
// lasts at most maxStream; EventSource reconnects by itself.
const (
	maxStream = 5 * time.Minute
	keepAlive = 15 * time.Second
)

func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	watch, err := url.Parse(r.URL.Query().Get("watch"))
	if err != nil || !strings.HasPrefix(watch.Path, Prefix) {
		http.Error(w, "watch: want a console page", http.StatusBadRequest)
		return
	}
	select {
	case c.streams <- struct{}{}:
		defer func() { <-c.streams }()
	default:
		http.Error(w, "too many live-update streams", http.StatusServiceUnavailable)
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Now().Add(maxStream + keepAlive))
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 1000\n\n")
	if rc.Flush() != nil {
		return
	}
	c.stream(r.Context(), w, rc, watch, r.URL.Query().Get("print"))
}

// stream sends "change" whenever the fingerprint of the watched page
// differs from the last one sent, starting from the page's own (print),
// when the page gave it.
func (c *Console) stream(ctx context.Context, w http.ResponseWriter, rc *http.ResponseController, watch *url.URL, print string) {
	tick := time.NewTicker(c.cfg.PollInterval)
	defer tick.Stop()
	end := time.NewTimer(maxStream)
	defer end.Stop()
	last, quiet := print, time.Now()
	if last == "" {
		last = c.fingerprint(ctx, watch)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.closed:
			return
		case <-end.C:
			return
		case <-tick.C:
		}
		fp := c.fingerprint(ctx, watch)
		switch {
		case fp != last:
			last, quiet = fp, time.Now()
			fmt.Fprintf(w, "event: change\ndata: %s\n\n", fp)
		case time.Since(quiet) > keepAlive:
			quiet = time.Now()
			fmt.Fprint(w, ": keep-alive\n\n")
		default:
			continue
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// fingerprint summarises what the watched page shows: when it changes,
// the page changed.
func (c *Console) fingerprint(ctx context.Context, u *url.URL) string {
	h := sha256.New()
	q := u.Query()
	switch u.Path {
	case "/console/execution":
		c.executionPrint(ctx, h, q.Get("arn"))
	case "/console/executions":
		v, err := c.executions(ctx, readExecFilter(q))
		fmt.Fprint(h, err)
		for _, e := range v.Executions {
			fmt.Fprint(h, e.ExecutionArn, e.Status)
		}
	case "/console/":
		c.machinesPrint(ctx, h)
	default:
		if strings.HasPrefix(u.Path, "/console/iot/") && c.cfg.IoT != nil {
			fmt.Fprint(h, c.cfg.IoT.ActivitySeq())
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

type writer interface{ Write([]byte) (int, error) }

func (c *Console) executionPrint(ctx context.Context, h writer, arn string) {
	d, err := c.cfg.SFN.DescribeExecution(ctx, arn)
	if err != nil {
		fmt.Fprint(h, err)
		return
	}
	last, _ := c.cfg.SFN.GetExecutionHistory(ctx, sfnemu.GetExecutionHistoryInput{ExecutionArn: arn, Reverse: true, WithoutData: true, Page: sfnemu.Page{Size: 1}})
	fmt.Fprint(h, d.Status, len(last.Events))
	for _, ev := range last.Events {
		fmt.Fprint(h, ev.ID)
	}
	if ds, err := c.cfg.SFN.Deadlines(arn); err == nil {
		for _, dl := range ds {
			fmt.Fprint(h, dl.Kind, dl.At.UnixMilli())
		}
	}
	if c.cfg.IoT != nil && d.Status == "RUNNING" {
		fmt.Fprint(h, c.cfg.IoT.ActivitySeq())
	}
}

func (c *Console) machinesPrint(ctx context.Context, h writer) {
	list, err := c.cfg.SFN.ListStateMachines(ctx, sfnemu.Page{Size: maxMachines})
	if err != nil {
		fmt.Fprint(h, err)
		return
	}
	for _, m := range list.StateMachines {
		fmt.Fprint(h, m.StateMachineArn)
		l, _ := c.cfg.SFN.ListExecutions(ctx, sfnemu.ListExecutionsInput{StateMachineArn: m.StateMachineArn, Page: sfnemu.Page{Size: 20}})
		for _, e := range l.Executions {
			fmt.Fprint(h, e.ExecutionArn, e.Status)
		}
	}
}
