package awsapi

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// presigned describes a presigned GET and how it is signed.
type presigned struct {
	creds           aws.Credentials
	service, region string
	at              time.Time
	expires         string // X-Amz-Expires, signed; "" for none
	// tokenAfter appends the session token after signing (AWS IoT's
	// way) instead of signing it (aws-sdk-go-v2's PresignHTTP).
	tokenAfter bool
	after      func(url.Values) // changes the query after signing
}

const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func (p presigned) url(t *testing.T, base string) string {
	t.Helper()
	u := base + "/mqtt"
	if p.expires != "" {
		u += "?X-Amz-Expires=" + p.expires
	}
	hr, _ := http.NewRequest(http.MethodGet, u, nil)
	creds := p.creds
	if creds.AccessKeyID == "" {
		creds = goodKey
	}
	token := creds.SessionToken
	if p.tokenAfter {
		creds.SessionToken = ""
	}
	at := p.at
	if at.IsZero() {
		at = testNow
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, hr, emptyHash,
		or(p.service, "iotdata"), or(p.region, "us-east-1"), at)
	if err != nil {
		t.Fatal(err)
	}
	parsed, _ := url.Parse(signed)
	q := parsed.Query()
	if p.tokenAfter && token != "" {
		q.Set("X-Amz-Security-Token", token)
	}
	if p.after != nil {
		p.after(q)
	}
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

// The presigned form (docs/iot-core.md §7.2): good from X-Amz-Date until
// X-Amz-Expires later, or within the five-minute window without it; the
// session token signed or appended after signing.
func TestSigV4Presigned(t *testing.T) {
	srv := signedServer(t)
	invalid := codeInvalidSignature
	for _, tc := range []struct {
		name      string
		p         presigned
		status    int
		code, msg string // msg: a prefix of the message
	}{
		{"ok without X-Amz-Expires", presigned{}, 200, "", ""},
		{"wrong service", presigned{service: "iotdevicegateway"}, 403, invalid,
			"Credential should be scoped to correct service: 'iot' or 'iotdata'."},
		{"ok within X-Amz-Expires", presigned{at: testNow.Add(-time.Hour), expires: "86400"}, 200, "", ""},
		{"X-Amz-Expires passed", presigned{at: testNow.Add(-10 * time.Minute), expires: "300"}, 403, invalid,
			"Signature expired: 20260101T115000Z + X-Amz-Expires 300 s = 20260101T115500Z is now earlier than 20260101T120000Z."},
		{"no X-Amz-Expires, 6 min old", presigned{at: testNow.Add(-6 * time.Minute)}, 403, invalid,
			"Signature expired: 20260101T115400Z is now earlier than 20260101T115500Z (20260101T120000Z - 5 min.)"},
		{"not yet current", presigned{at: testNow.Add(10 * time.Minute), expires: "3600"}, 403, invalid,
			"Signature not yet current: 20260101T121000Z is still later than 20260101T120500Z"},
		{"X-Amz-Expires over 7 days", presigned{expires: "604801"}, 403, codeIncomplete,
			"X-Amz-Expires must be a number of seconds from 1 to 604800"},
		{"X-Amz-Expires not a number", presigned{expires: "soon"}, 403, codeIncomplete, "X-Amz-Expires must be"},
		{"wrong secret", presigned{creds: aws.Credentials{AccessKeyID: "AKIDGOOD", SecretAccessKey: "wrong"}}, 403, invalid, msgInvalidSignature},
		{"unknown key", presigned{creds: aws.Credentials{AccessKeyID: "AKIDNOPE", SecretAccessKey: "x"}}, 403,
			codeUnrecognizedClient, msgUnrecognizedClient},
		{"wrong region", presigned{region: "eu-west-1"}, 403, invalid, "Credential should be scoped to a valid region, not 'eu-west-1'."},
		{"query added", presigned{after: func(q url.Values) { q.Set("qos", "1") }}, 403, invalid, msgInvalidSignature},
		{"signature missing", presigned{after: func(q url.Values) { q.Del("X-Amz-Signature") }}, 403, codeIncomplete,
			"AWS query-string parameters must include 'X-Amz-Signature'."},
		{"other algorithm", presigned{after: func(q url.Values) { q.Set("X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256") }}, 403,
			codeIncomplete, "Unsupported X-Amz-Algorithm 'AWS4-ECDSA-P256-SHA256'"},
		{"session token signed", presigned{creds: tokenKey}, 200, "", ""},
		{"session token appended after signing", presigned{creds: tokenKey, tokenAfter: true}, 200, "", ""},
		{"session token missing", presigned{creds: tokenKey, tokenAfter: true, after: func(q url.Values) { q.Del("X-Amz-Security-Token") }},
			403, codeUnrecognizedClient, msgUnrecognizedClient},
		{"session token changed", presigned{creds: tokenKey, after: func(q url.Values) { q.Set("X-Amz-Security-Token", "other") }},
			403, codeUnrecognizedClient, msgUnrecognizedClient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(tc.p.url(t, srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			if tc.code == "" {
				return
			}
			body := decodeError(t, resp)
			if body["__type"] != tc.code {
				t.Errorf("error type %q, want %s", body["__type"], tc.code)
			}
			if !strings.HasPrefix(body["message"], tc.msg) {
				t.Errorf("message %q\nwant prefix %q", body["message"], tc.msg)
			}
		})
	}
}
