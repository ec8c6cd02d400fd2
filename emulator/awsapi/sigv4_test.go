package awsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/stepwire/stepwire/internal/clock"
)

var (
	testNow  = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	goodKey  = aws.Credentials{AccessKeyID: "AKIDGOOD", SecretAccessKey: "good-secret"}
	tokenKey = aws.Credentials{AccessKeyID: "ASIATOKEN", SecretAccessKey: "token-secret", SessionToken: "the-token"}
)

// signedServer is a router that checks signatures on a fake clock at
// testNow and echoes the body its handlers get.
func signedServer(t *testing.T) *httptest.Server {
	t.Helper()
	r := NewRouter()
	v := NewSigV4Verifier(SigV4Config{
		Credentials: []Credential{
			{Profile: "default", AccessKeyID: goodKey.AccessKeyID, SecretAccessKey: goodKey.SecretAccessKey},
			{Profile: "tmp", AccessKeyID: tokenKey.AccessKeyID, SecretAccessKey: tokenKey.SecretAccessKey, SessionToken: tokenKey.SessionToken},
		},
		Region: "us-east-1",
		Clock:  clock.NewFake(testNow),
		Services: func(req *http.Request) []string {
			if isJSONRequest(req) {
				return []string{"states"}
			}
			return []string{"iot", "iotdata"}
		},
	})
	r.Authenticate = v.Authenticate
	r.HandleTarget("AWSStepFunctions", func(_ context.Context, _ string, body []byte) (any, *Error) {
		return map[string]string{"echo": string(body)}, nil
	})
	r.HandlePrefix("/", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		_, _ = w.Write(b)
	}))
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

// req describes one request and how it is signed.
type req struct {
	rest             bool // an IoT data-plane publish rather than a Step Functions call
	body             string
	creds            aws.Credentials
	service, region  string
	at               time.Time
	unsigned         bool
	after            func(*http.Request) // changes the request after signing
	presign, xAmzSHA bool
}

func (rq req) build(t *testing.T, base string) *http.Request {
	t.Helper()
	var hr *http.Request
	if rq.rest {
		hr, _ = http.NewRequest(http.MethodPost, base+"/topics/tenant1%2Fto%2Fworker?qos=1", strings.NewReader(rq.body))
	} else {
		hr, _ = http.NewRequest(http.MethodPost, base+"/", strings.NewReader(rq.body))
		hr.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
		hr.Header.Set("Content-Type", "application/x-amz-json-1.0")
	}
	sum := sha256.Sum256([]byte(rq.body))
	hash := hex.EncodeToString(sum[:])
	if rq.xAmzSHA {
		hr.Header.Set("X-Amz-Content-Sha256", hash)
	}
	service, region, at := or(rq.service, map[bool]string{true: "iotdata", false: "states"}[rq.rest]), or(rq.region, "us-east-1"), rq.at
	if at.IsZero() {
		at = testNow
	}
	creds := rq.creds
	if creds.AccessKeyID == "" {
		creds = goodKey
	}
	switch {
	case rq.presign:
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, hr, hash, service, region, at)
		if err != nil {
			t.Fatal(err)
		}
		hr, _ = http.NewRequest(hr.Method, u, strings.NewReader(rq.body))
	case !rq.unsigned:
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, hr, hash, service, region, at); err != nil {
			t.Fatal(err)
		}
	}
	if rq.after != nil {
		rq.after(hr)
	}
	return hr
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func TestSigV4Verifier(t *testing.T) {
	srv := signedServer(t)
	const (
		invalid = codeInvalidSignature
		bad     = msgInvalidSignature
	)
	for _, tc := range []struct {
		name       string
		req        req
		status     int
		code, msg  string // msg: a prefix of the message
		wantEchoed string
	}{
		{"json ok", req{body: `{"a":1}`}, 200, "", "", `{"echo":"{\"a\":1}"}`},
		{"rest ok, escaped topic", req{rest: true, body: `{"job":1}`}, 200, "", "", `{"job":1}`},
		{"rest ok, x-amz-content-sha256", req{rest: true, body: `x`, xAmzSHA: true}, 200, "", "", `x`},
		{"session token ok", req{body: `{}`, creds: tokenKey}, 200, "", "", `{"echo":"{}"}`},
		{"4m59s late is in time", req{body: `{}`, at: testNow.Add(-299 * time.Second)}, 200, "", "", `{"echo":"{}"}`},

		{"wrong secret json", req{body: `{}`, creds: aws.Credentials{AccessKeyID: "AKIDGOOD", SecretAccessKey: "wrong"}}, 400, invalid, bad, ""},
		{"wrong secret rest", req{rest: true, creds: aws.Credentials{AccessKeyID: "AKIDGOOD", SecretAccessKey: "wrong"}}, 403, invalid, bad, ""},
		{"unknown key", req{body: `{}`, creds: aws.Credentials{AccessKeyID: "AKIDNOPE", SecretAccessKey: "x"}}, 400,
			codeUnrecognizedClient, msgUnrecognizedClient, ""},
		{"unknown key rest", req{rest: true, creds: aws.Credentials{AccessKeyID: "AKIDNOPE", SecretAccessKey: "x"}}, 403,
			codeUnrecognizedClient, msgUnrecognizedClient, ""},
		{"token missing", req{body: `{}`, creds: aws.Credentials{AccessKeyID: tokenKey.AccessKeyID, SecretAccessKey: tokenKey.SecretAccessKey}}, 400,
			codeUnrecognizedClient, msgUnrecognizedClient, ""},
		{"token on a key without one", req{body: `{}`, creds: aws.Credentials{AccessKeyID: "AKIDGOOD", SecretAccessKey: "good-secret", SessionToken: "t"}}, 400,
			codeUnrecognizedClient, msgUnrecognizedClient, ""},
		{"no authorization json", req{body: `{}`, unsigned: true}, 400, codeMissingToken, msgMissingTokenJSON, ""},
		{"no authorization rest", req{rest: true, unsigned: true}, 403, codeMissingToken, msgMissingTokenREST, ""},
		{"expired", req{body: `{}`, at: testNow.Add(-6 * time.Minute)}, 400, invalid,
			"Signature expired: 20260101T115400Z is now earlier than 20260101T115500Z (20260101T120000Z - 5 min.)", ""},
		{"not yet current", req{body: `{}`, at: testNow.Add(6 * time.Minute)}, 400, invalid,
			"Signature not yet current: 20260101T120600Z is still later than 20260101T120500Z (20260101T120000Z + 5 min.)", ""},
		{"body tampered", req{body: `{"a":1}`, after: func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(`{"a":2}`)), 7
		}}, 400, invalid, bad, ""},
		{"body tampered, sha256 header kept", req{rest: true, body: `{"a":1}`, xAmzSHA: true, after: func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(`{"a":2}`)), 7
		}}, 403, invalid, bad, ""},
		{"signed header changed", req{body: `{}`, after: func(r *http.Request) { r.Header.Set("X-Amz-Target", "AWSStepFunctions.DeleteStateMachine") }},
			400, invalid, bad, ""},
		{"query added", req{rest: true, after: func(r *http.Request) { r.URL.RawQuery = "qos=0" }}, 403, invalid, bad, ""},
		{"wrong region", req{body: `{}`, region: "eu-west-1"}, 400, invalid, "Credential should be scoped to a valid region, not 'eu-west-1'.", ""},
		{"wrong service", req{body: `{}`, service: "iot"}, 400, invalid, "Credential should be scoped to correct service: 'states'.", ""},
		{"missing signature", req{body: `{}`, after: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Split(r.Header.Get("Authorization"), ", Signature=")[0])
		}}, 400, codeIncomplete, "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKIDGOOD/", ""},
		{"missing date", req{body: `{}`, after: func(r *http.Request) { r.Header.Del("X-Amz-Date") }}, 400, codeIncomplete,
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", ""},
		{"not key=value", req{body: `{}`, after: func(r *http.Request) {
			r.Header.Set("Authorization", r.Header.Get("Authorization")+", junk")
		}}, 400, codeIncomplete, "'junk' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 ", ""},
		{"short credential", req{body: `{}`, after: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDGOOD/20260101, SignedHeaders=host, Signature=00")
		}}, 400, codeIncomplete, "Credential must have exactly 5 slash-delimited elements", ""},
		{"other algorithm", req{rest: true, after: func(r *http.Request) { r.Header.Set("Authorization", "AWS AKIDGOOD:abc") }},
			403, codeIncomplete, "Unsupported Authorization algorithm 'AWS'", ""},
		{"presigned", req{rest: true, presign: true}, 200, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(tc.req.build(t, srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if d := resp.Header.Get("Date"); d != "Thu, 01 Jan 2026 12:00:00 GMT" {
				t.Errorf("Date = %q, want the service clock's", d)
			}
			if resp.StatusCode != tc.status {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			if tc.code == "" {
				b, _ := io.ReadAll(resp.Body)
				if got := strings.TrimSpace(string(b)); got != tc.wantEchoed {
					t.Errorf("body %s, want %s", got, tc.wantEchoed)
				}
				return
			}
			body := decodeError(t, resp)
			if resp.Header.Get("X-Amzn-ErrorType") != tc.code || body["__type"] != tc.code {
				t.Errorf("error type %q / %q, want %s", resp.Header.Get("X-Amzn-ErrorType"), body["__type"], tc.code)
			}
			if !strings.HasPrefix(body["message"], tc.msg) {
				t.Errorf("message %q\nwant prefix %q", body["message"], tc.msg)
			}
		})
	}
}
