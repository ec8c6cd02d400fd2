package emulator

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/console"
)

// HTTPTimeouts bound the AWS API's connections. A zero field takes its
// default.
type HTTPTimeouts struct {
	// ReadHeader is the time to read a request's headers (default 10 s).
	ReadHeader time.Duration
	// Read is the time to read a whole request, body included (30 s).
	Read time.Duration
	// Write is the time from the end of the request headers to the end
	// of the response (90 s). It must exceed the longest long poll,
	// GetActivityTask's 60 s.
	Write time.Duration
	// Idle is how long a keep-alive connection may wait for its next
	// request (120 s).
	Idle time.Duration
}

// Default HTTP timeouts.
const (
	DefaultHTTPReadHeaderTimeout = 10 * time.Second
	DefaultHTTPReadTimeout       = 30 * time.Second
	DefaultHTTPWriteTimeout      = 90 * time.Second
	DefaultHTTPIdleTimeout       = 120 * time.Second
)

func (t HTTPTimeouts) withDefaults() HTTPTimeouts {
	or := func(d, def time.Duration) time.Duration {
		if d <= 0 {
			return def
		}
		return d
	}
	return HTTPTimeouts{
		ReadHeader: or(t.ReadHeader, DefaultHTTPReadHeaderTimeout),
		Read:       or(t.Read, DefaultHTTPReadTimeout),
		Write:      or(t.Write, DefaultHTTPWriteTimeout),
		Idle:       or(t.Idle, DefaultHTTPIdleTimeout),
	}
}

// newHTTPServer is the AWS API's server: h behind the timeouts.
func newHTTPServer(h http.Handler, t HTTPTimeouts) *http.Server {
	t = t.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
	}
}

// apiHandler is the router behind the Host and Origin checks
// (awsapi.Exposure). Besides localhost and IP addresses the API answers
// to HTTPHosts, MQTTHosts and the host of HTTPAddr.
func (e *Emulator) apiHandler() http.Handler {
	hosts := append(append([]string{}, e.cfg.HTTPHosts...), e.cfg.MQTTHosts...)
	if h, _, err := net.SplitHostPort(e.cfg.HTTPAddr); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	x := awsapi.Exposure{Hosts: hosts, Origins: e.cfg.AllowOrigins, Logger: e.cfg.Logger.With("service", "api")}
	api := x.Wrap(e.router)
	// The console obeys the same rules; its own pages' requests are
	// same-origin, not cross-origin.
	con := console.SameOrigin(x.Wrap(e.Console.Handler()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("X-Amz-Target") == "" && strings.HasPrefix(r.URL.Path, console.Prefix):
			con.ServeHTTP(w, r)
		case r.Method == http.MethodGet && r.URL.Path == "/console":
			http.Redirect(w, r, console.Prefix, http.StatusSeeOther)
		default:
			api.ServeHTTP(w, r)
		}
	})
}
