package iotws

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func TestWebSocketURL(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"http://127.0.0.1:4566", "ws://127.0.0.1:4566/mqtt", ""},
		{"https://abc-ats.iot.us-east-1.amazonaws.com", "wss://abc-ats.iot.us-east-1.amazonaws.com/mqtt", ""},
		{"abc-ats.iot.us-east-1.amazonaws.com", "wss://abc-ats.iot.us-east-1.amazonaws.com/mqtt", ""},
		{"wss://host:443/custom", "wss://host:443/custom", ""},
		{"http://localhost:4566/?x=1", "ws://localhost:4566/mqtt", ""},
		{"", "", "an endpoint is required"},
		{"ftp://host", "", "scheme must be"},
		{"http://", "", "has no host"},
	} {
		u, err := WebSocketURL(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case u.String() != tc.want:
			t.Errorf("%q: %s, want %s", tc.in, u, tc.want)
		}
	}
}

// Presign signs as AWS IoT expects (docs/iot-core.md §7.2): scope
// iotdevicegateway, no X-Amz-Expires, the session token appended after
// signing, outside the signature.
func TestPresignLeavesTheTokenOutOfTheSignature(t *testing.T) {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	u, _ := url.Parse("wss://abc-ats.iot.us-east-1.amazonaws.com/mqtt")
	provider := credentials.NewStaticCredentialsProvider("ASIAX", "secret", "tok/en+=")
	signed, err := Presign(context.Background(), u, "us-east-1", provider, at)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := url.Parse(signed)
	q := got.Query()
	if got.Scheme != "wss" || q.Get("X-Amz-Security-Token") != "tok/en+=" || q.Has("X-Amz-Expires") ||
		q.Get("X-Amz-Credential") != "ASIAX/20260101/us-east-1/iotdevicegateway/aws4_request" {
		t.Fatalf("presigned URL %s", signed)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://abc-ats.iot.us-east-1.amazonaws.com/mqtt", nil)
	want, _, err := v4.NewSigner().PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "secret"}, req, emptySHA256, SigningName, "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	wantURL, _ := url.Parse(want)
	if q.Get("X-Amz-Signature") != wantURL.Query().Get("X-Amz-Signature") {
		t.Error("the signature covers the session token")
	}
}

func TestClientConfigValidates(t *testing.T) {
	provider := credentials.NewStaticCredentialsProvider("a", "b", "")
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Region: "us-east-1", Credentials: provider, ClientID: "c"}, "an endpoint is required"},
		{Config{Endpoint: "http://h:1", Credentials: provider, ClientID: "c"}, "a region is required"},
		{Config{Endpoint: "http://h:1", Region: "us-east-1", ClientID: "c"}, "credentials are required"},
		{Config{Endpoint: "http://h:1", Region: "us-east-1", Credentials: provider}, "a client id is required"},
	} {
		if _, err := ClientConfig(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.cfg, err, tc.want)
		}
	}
	cc, err := ClientConfig(Config{Endpoint: "http://h:1", Region: "us-east-1", Credentials: provider, ClientID: "c"})
	if err != nil || cc.KeepAlive != DefaultKeepAlive || cc.ServerUrls[0].String() != "ws://h:1/mqtt" || cc.AttemptConnection == nil {
		t.Fatalf("ClientConfig: %+v, %v", cc, err)
	}
}
