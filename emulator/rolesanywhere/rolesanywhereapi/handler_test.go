package rolesanywhereapi

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/rolesanywhere"
	"github.com/stepwire/stepwire/internal/clock"
	wire "github.com/stepwire/stepwire/internal/rolesanywhere"
)

const (
	region      = "us-east-1"
	anchorArn   = "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/11111111-1111-4111-8111-111111111111"
	disabledTA  = "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/22222222-2222-4222-8222-222222222222"
	profileArn  = "arn:aws:rolesanywhere:us-east-1:123456789012:profile/33333333-3333-4333-8333-333333333333"
	disabledP   = "arn:aws:rolesanywhere:us-east-1:123456789012:profile/44444444-4444-4444-8444-444444444444"
	roleArn     = "arn:aws:iam::123456789012:role/worker"
	untrustRole = "arn:aws:iam::123456789012:role/untrusting"
)

// testCA is a throwaway CA that issues RSA or ECDSA leaves.
type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newCA(t *testing.T) testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return testCA{cert: c, key: key}
}

func (ca testCA) issue(t *testing.T, key crypto.Signer, notAfter time.Time) tls.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "worker-1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// mutating changes a signed request before it is sent.
type mutating struct{ f func(*http.Request) }

func (m mutating) RoundTrip(req *http.Request) (*http.Response, error) {
	if m.f != nil {
		m.f(req)
	}
	return http.DefaultTransport.RoundTrip(req)
}

func newService(t *testing.T, ca testCA, clk clock.Clock, maxSessions int) *rolesanywhere.Service {
	t.Helper()
	svc := rolesanywhere.New(rolesanywhere.Config{Region: region, Account: "123456789012", Clock: clk,
		MaxSessions: maxSessions, Logger: slog.New(slog.DiscardHandler)})
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(svc.PutTrustAnchor(rolesanywhere.TrustAnchor{Arn: anchorArn, Name: "ta", Enabled: true, Certificates: []*x509.Certificate{ca.cert}}))
	must(svc.PutTrustAnchor(rolesanywhere.TrustAnchor{Arn: disabledTA, Name: "off", Certificates: []*x509.Certificate{ca.cert}}))
	must(svc.PutProfile(rolesanywhere.Profile{Arn: profileArn, Name: "p", Enabled: true, RoleArns: []string{roleArn, untrustRole}}))
	must(svc.PutProfile(rolesanywhere.Profile{Arn: disabledP, Name: "off", RoleArns: []string{roleArn}}))
	svc.PutRole(rolesanywhere.Role{Arn: roleArn, TrustsRolesAnywhere: true})
	svc.PutRole(rolesanywhere.Role{Arn: untrustRole})
	return svc
}

// TestSpecCreateSessionVerifier runs CreateSession requests that AWS
// refuses, each with the error code stepwire answers
// (docs/roles-anywhere.md §3.2–§3.5), and the ones it accepts.
func TestSpecCreateSessionVerifier(t *testing.T) {
	ca, other := newCA(t), newCA(t)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	good := ca.issue(t, ecKey, time.Now().Add(time.Hour))
	base := wire.SessionInput{TrustAnchorArn: anchorArn, ProfileArn: profileArn, RoleArn: roleArn}
	tests := []struct {
		name     string
		cert     tls.Certificate
		in       func(*wire.SessionInput)
		mutate   func(*http.Request)
		skew     time.Duration
		wantCode string
		wantHTTP int
	}{
		{name: "ecdsa P-384 accepted", cert: good},
		{name: "rsa accepted", cert: ca.issue(t, rsaKey, time.Now().Add(time.Hour))},
		{name: "duration 900 accepted", cert: good, in: func(in *wire.SessionInput) { in.DurationSeconds = 900 }},
		{name: "bad signature", cert: good, mutate: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			last := a[len(a)-2:]
			r.Header.Set("Authorization", a[:len(a)-2]+map[bool]string{true: "00", false: "01"}[last != "00"])
		}, wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "changed query after signing", cert: good, mutate: func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "role%2Fworker", "role%2Funtrusting", 1)
		}, wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "serial mismatch", cert: good, mutate: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", strings.Replace(a, "Credential=", "Credential=9", 1))
		}, wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "cert from another CA", cert: other.issue(t, ecKey, time.Now().Add(time.Hour)), wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "expired cert", cert: ca.issue(t, ecKey, time.Now().Add(time.Minute)), skew: 2 * time.Minute,
			wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "role not in profile", cert: good, in: func(in *wire.SessionInput) { in.RoleArn = "arn:aws:iam::123456789012:role/other" },
			wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "role does not trust rolesanywhere", cert: good, in: func(in *wire.SessionInput) { in.RoleArn = untrustRole },
			wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "disabled profile", cert: good, in: func(in *wire.SessionInput) { in.ProfileArn = disabledP },
			wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "disabled trust anchor", cert: good, in: func(in *wire.SessionInput) { in.TrustAnchorArn = disabledTA },
			wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "unknown profile", cert: good, in: func(in *wire.SessionInput) { in.ProfileArn = profileArn[:len(profileArn)-1] + "9" },
			wantCode: "ResourceNotFoundException", wantHTTP: 404},
		{name: "malformed role arn", cert: good, in: func(in *wire.SessionInput) { in.RoleArn = "worker" },
			wantCode: "ValidationException", wantHTTP: 400},
		{name: "duration below 900", cert: good, in: func(in *wire.SessionInput) { in.DurationSeconds = 899 },
			wantCode: "ValidationException", wantHTTP: 400},
		{name: "duration above 43200", cert: good, in: func(in *wire.SessionInput) { in.DurationSeconds = 43201 },
			wantCode: "ValidationException", wantHTTP: 400},
		{name: "role session name not accepted", cert: good, in: func(in *wire.SessionInput) { in.RoleSessionName = "x" },
			wantCode: "AccessDeniedException", wantHTTP: 403},
		{name: "clock skew", cert: good, skew: -6 * time.Minute, wantCode: "AccessDeniedException", wantHTTP: 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(time.Now().Add(tc.skew))
			svc := newService(t, ca, clk, 0)
			srv := httptest.NewServer(Handler(svc))
			defer srv.Close()
			signer, err := wire.NewSigner(tc.cert)
			if err != nil {
				t.Fatal(err)
			}
			c := &wire.Client{Endpoint: srv.URL, Region: region, Signer: signer,
				HTTP: &http.Client{Transport: mutating{tc.mutate}}, Now: func() time.Time { return time.Now() }}
			if tc.name == "expired cert" {
				c.Now = clk.Now // signed on time, but the certificate has expired by the emulator's clock
			}
			in := base
			if tc.in != nil {
				tc.in(&in)
			}
			out, err := c.CreateSession(t.Context(), in)
			if tc.wantCode == "" {
				want := 3600 * time.Second // the profile's default
				if in.DurationSeconds != 0 {
					want = time.Duration(in.DurationSeconds) * time.Second
				}
				checkSession(t, svc, out, err, want, clk.Now())
				return
			}
			var apiErr *wire.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != tc.wantCode || apiErr.Status != tc.wantHTTP {
				t.Fatalf("err = %v, want %s (HTTP %d)", err, tc.wantCode, tc.wantHTTP)
			}
			if svc.LiveSessions() != 0 {
				t.Errorf("a refused request left %d sessions", svc.LiveSessions())
			}
		})
	}
}

func checkSession(t *testing.T, svc *rolesanywhere.Service, out wire.SessionOutput, err error, d time.Duration, now time.Time) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	cs := out.CredentialSet[0]
	if cs.SourceIdentity != "worker-1" || cs.RoleArn != roleArn || !strings.HasPrefix(out.SubjectArn, "arn:aws:rolesanywhere:us-east-1:123456789012:subject/") {
		t.Errorf("session = %+v", out)
	}
	exp, err := time.Parse(time.RFC3339, cs.Credentials.Expiration)
	if err != nil || exp.Sub(now) > d || exp.Sub(now) < d-2*time.Second {
		t.Errorf("expiration %s, want %v after %s", cs.Credentials.Expiration, d, now)
	}
	got, ok := svc.Lookup(cs.Credentials.AccessKeyID)
	if !ok || got.SecretAccessKey != cs.Credentials.SecretAccessKey || got.SessionToken != cs.Credentials.SessionToken {
		t.Errorf("Lookup(%s) = %+v, %v", cs.Credentials.AccessKeyID, got, ok)
	}
}

// TestSessionsBoundedAndExpire: live sessions are capped, a refused one is
// a ThrottlingException, and expired sessions free their place and are no
// longer found.
func TestSessionsBoundedAndExpire(t *testing.T) {
	ca := newCA(t)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	clk := clock.NewFake(time.Now())
	svc := newService(t, ca, clk, 2)
	srv := httptest.NewServer(Handler(svc))
	defer srv.Close()
	signer, _ := wire.NewSigner(ca.issue(t, key, time.Now().Add(48*time.Hour)))
	c := &wire.Client{Endpoint: srv.URL, Region: region, Signer: signer, Now: clk.Now}
	in := wire.SessionInput{TrustAnchorArn: anchorArn, ProfileArn: profileArn, RoleArn: roleArn, DurationSeconds: 900}
	var first string
	for i := range 2 {
		out, err := c.CreateSession(t.Context(), in)
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		if i == 0 {
			first = out.CredentialSet[0].Credentials.AccessKeyID
		}
	}
	var apiErr *wire.APIError
	if _, err := c.CreateSession(t.Context(), in); !errors.As(err, &apiErr) || apiErr.Code != "ThrottlingException" {
		t.Fatalf("third session: err = %v, want ThrottlingException", err)
	}
	clk.Advance(901 * time.Second)
	if _, ok := svc.Lookup(first); ok {
		t.Error("an expired session is still found")
	}
	if _, err := c.CreateSession(t.Context(), in); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := svc.LiveSessions(); n != 1 {
		t.Errorf("live sessions = %d, want 1", n)
	}
}
