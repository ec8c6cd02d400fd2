package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Cookies the console sets. Both are HttpOnly and SameSite=Strict.
const (
	sessionCookie = "stepwire_console"
	csrfCookie    = "stepwire_csrf"
	// sessionTTL is how long a login lasts.
	sessionTTL = 12 * time.Hour
)

// authed lets a request through when no credentials are configured or
// its session cookie is valid; otherwise a page is redirected to the
// login form and other requests get 401.
func (c *Console) authed(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.loggedIn(r) {
			h(w, c.withPrint(r))
			return
		}
		if r.Method == http.MethodGet && r.URL.Path != "/console/events" {
			http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		http.Error(w, "log in first", http.StatusUnauthorized)
	})
}

func (c *Console) loggedIn(r *http.Request) bool {
	if len(c.cfg.Credentials) == 0 {
		return true
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return false
	}
	keyID, exp, ok := c.openSession(ck.Value)
	return ok && c.cfg.Clock.Now().Unix() < exp && c.knownKey(keyID)
}

func (c *Console) knownKey(id string) bool {
	for _, k := range c.cfg.Credentials {
		if k.AccessKeyID == id {
			return true
		}
	}
	return false
}

// sign is base64(HMAC-SHA256(secret, purpose|value)).
func (c *Console) sign(purpose, value string) string {
	m := hmac.New(sha256.New, c.secret)
	m.Write([]byte(purpose + "|" + value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// session cookie value: keyID|expiry|signature.
func (c *Console) sealSession(keyID string, exp int64) string {
	v := keyID + "|" + strconv.FormatInt(exp, 10)
	return v + "|" + c.sign("session", v)
}

func (c *Console) openSession(s string) (keyID string, exp int64, ok bool) {
	i := strings.LastIndexByte(s, '|')
	if i < 0 || !hmac.Equal([]byte(s[i+1:]), []byte(c.sign("session", s[:i]))) {
		return "", 0, false
	}
	keyID, expS, _ := strings.Cut(s[:i], "|")
	exp, err := strconv.ParseInt(expS, 10, 64)
	return keyID, exp, err == nil
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, view{Title: "login", Nav: "login"}, loginContent(safeNext(r.URL.Query().Get("next")), r.URL.Query().Has("failed")))
}

// login checks an access key id and its secret against the configured
// credentials, in constant time for the secret.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	if !c.csrfOK(r) {
		http.Error(w, "bad CSRF token: reload the page", http.StatusForbidden)
		return
	}
	id, secret, next := r.PostFormValue("accessKeyId"), r.PostFormValue("secretAccessKey"), safeNext(r.PostFormValue("next"))
	for _, k := range c.cfg.Credentials {
		if k.AccessKeyID == id && subtle.ConstantTimeCompare([]byte(k.SecretAccessKey), []byte(secret)) == 1 {
			exp := c.cfg.Clock.Now().Add(sessionTTL).Unix()
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: c.sealSession(id, exp), Path: Prefix,
				HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second)})
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
	}
	c.log.Warn("console login refused", "accessKeyId", id, "remote", r.RemoteAddr)
	http.Redirect(w, r, "/console/login?failed=1&next="+url.QueryEscape(next), http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if !c.csrfOK(r) {
		http.Error(w, "bad CSRF token: reload the page", http.StatusForbidden)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

// safeNext keeps a redirect target inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix) || strings.Contains(next, "//") || strings.Contains(next, `\`) {
		return Prefix
	}
	return next
}

// csrfToken returns the form token for the browser's CSRF cookie, setting
// a new cookie when it has none: a double-submit token bound to a random
// value by the console's secret.
func (c *Console) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 16 {
		return c.sign("csrf", ck.Value)
	}
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: Prefix, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: v}) // later calls in this request agree
	return c.sign("csrf", v)
}

func (c *Console) csrfOK(r *http.Request) bool {
	ck, err := r.Cookie(csrfCookie)
	if err != nil || len(ck.Value) < 16 {
		return false
	}
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(c.sign("csrf", ck.Value)))
}

// checkCSRF refuses a POST without the right token with 403.
func (c *Console) checkCSRF(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if !c.csrfOK(r) {
			http.Error(w, "bad CSRF token: reload the page", http.StatusForbidden)
			return
		}
		h(w, r)
	}
}

// maxForm bounds a POST body: an execution's input is at most 256 KiB.
const maxForm = 300 << 10

// SameOrigin drops the Origin header of a same-origin request (its
// Origin is this Host's own URL), so that awsapi.Exposure, which refuses
// cross-origin requests from origins not allowed, lets the console's own
// forms and scripts through and still refuses foreign pages.
func SameOrigin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" && (o == "http://"+r.Host || o == "https://"+r.Host) {
			r.Header.Del("Origin")
		}
		h.ServeHTTP(w, r)
	})
}
