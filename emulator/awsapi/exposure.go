package awsapi

import (
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/internal/uuid"
)

// Exposure guards an API served on a socket against the requests a web
// page can make. A page cannot choose the Host header, so a Host that is
// neither an IP address, localhost nor a configured name means the request
// came by DNS rebinding; a browser sends Origin on a cross-origin
// request, so an Origin not allowed means a foreign page. Both are
// refused with 403 AccessDeniedException in the request's protocol
// (awsJson when it has X-Amz-Target, restJson otherwise). IP literals pass
// the Host check: rebinding needs a name, and clients such as containers
// dial the emulator by IP.
type Exposure struct {
	// Hosts are the names, besides localhost, the API is reached by;
	// a port, if given, is ignored.
	Hosts []string
	// Origins are the browser origins ("http://localhost:3000") allowed
	// to call the API; "*" allows any. Allowed origins get CORS headers.
	Origins []string
	// Logger receives one line per refused request; slog.Default() when
	// nil.
	Logger *slog.Logger
}

// Wrap returns h behind the Host and Origin checks.
func (x Exposure) Wrap(h http.Handler) http.Handler {
	hosts := map[string]bool{"localhost": true}
	for _, n := range x.Hosts {
		hosts[hostname(n)] = true
	}
	log := x.Logger
	if log == nil {
		log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name := hostname(r.Host); name != "" && !hostAllowed(hosts, name, r.Header.Get("X-Amz-Target")) {
			x.refuse(w, r, log, "Host", "stepwire does not answer to Host "+quote(r.Host)+
				"; reach it by IP address or localhost, or add the name with --http-host")
			return
		}
		origin := r.Header.Get("Origin")
		if origin == "" {
			h.ServeHTTP(w, r)
			return
		}
		if !x.originAllowed(origin) {
			x.refuse(w, r, log, "Origin", "stepwire refuses cross-origin requests from "+quote(origin)+
				"; allow the origin with --allow-origin")
			return
		}
		if serveCORS(w, r, origin) {
			return
		}
		h.ServeHTTP(w, r)
	})
}

// syncPrefix is the endpoint host prefix the SDKs put before the host for
// the operations that answer when they finish, StartSyncExecution and
// TestState (docs/step-functions.md §0.6).
const syncPrefix = "sync-"

// syncTargets are the operations the SDKs send to "sync-<host>".
var syncTargets = map[string]bool{"AWSStepFunctions.StartSyncExecution": true, "AWSStepFunctions.TestState": true}

// hostAllowed reports whether a request may name the host name: an IP
// address, localhost or a configured name, or one of them behind the
// "sync-" prefix for the operations that carry it.
func hostAllowed(hosts map[string]bool, name, target string) bool {
	if syncTargets[target] && strings.HasPrefix(name, syncPrefix) {
		name = strings.TrimPrefix(name, syncPrefix)
	}
	return net.ParseIP(name) != nil || hosts[name]
}

// hostname is the lower-case host of a Host value or name, without port,
// brackets or a trailing dot.
func hostname(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	return strings.ToLower(h)
}

func (x Exposure) originAllowed(origin string) bool {
	origin = strings.TrimSuffix(origin, "/")
	for _, o := range x.Origins {
		if o == "*" || strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

func (x Exposure) refuse(w http.ResponseWriter, r *http.Request, log *slog.Logger, header, msg string) {
	log.Warn("request refused", "reason", header+" not allowed", "host", r.Host,
		"origin", r.Header.Get("Origin"), "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
	w.Header().Set("X-Amzn-RequestId", uuid.New())
	e := &Error{Status: http.StatusForbidden, Code: "AccessDeniedException", Message: msg}
	if r.Header.Get("X-Amz-Target") != "" {
		WriteJSON10Error(w, e)
		return
	}
	WriteRESTError(w, e)
}

// serveCORS adds CORS headers for an allowed origin and answers a
// preflight request itself, reporting whether it did.
func serveCORS(w http.ResponseWriter, r *http.Request, origin string) bool {
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Origin", origin)
	hdr.Add("Vary", "Origin")
	hdr.Set("Access-Control-Expose-Headers", "X-Amzn-RequestId, X-Amzn-ErrorType, X-Amz-Request-Id")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	hdr.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		hdr.Set("Access-Control-Allow-Headers", req)
	}
	hdr.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// quote quotes s for a message, cut to 100 bytes.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return strconv.Quote(s)
}
