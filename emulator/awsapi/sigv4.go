package awsapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/stepwire/stepwire/internal/clock"
)

// maxSkew is how far X-Amz-Date may be from the service's clock: five
// minutes, as Step Functions, Lambda and most AWS services allow ("AWS
// Signature Version 4 for API requests", AWS IAM user guide:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-signing.html;
// the window is per service, and STS and SQS allow 15 minutes).
const maxSkew = 5 * time.Minute

// SigV4Config configures a SigV4Verifier.
type SigV4Config struct {
	// Credentials are the keys the verifier accepts.
	Credentials []Credential
	// Region is the only region a credential scope may name.
	Region string
	// Clock is the service clock X-Amz-Date is checked against.
	Clock clock.Clock
	// Services returns the signing names a request may be scoped to, e.g.
	// "states" for Step Functions.
	Services func(*http.Request) []string
	// Lookup, when set, finds keys issued while the emulator runs, such as
	// Roles Anywhere's temporary credentials, that are not in Credentials.
	// It reports false for an unknown or expired key.
	Lookup func(accessKeyID string) (Credential, bool)
}

// SigV4Verifier checks AWS Signature Version 4 on requests as AWS does
// ("Create a signed AWS API request", AWS IAM user guide:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
// It recomputes the signature with aws-sdk-go-v2's own signer from a copy
// of the request that holds only the headers the client signed, at the
// client's X-Amz-Date, and compares the two in constant time. Presigned
// (query-string) requests are checked the same way (sigv4_query.go).
type SigV4Verifier struct {
	cfg    SigV4Config
	keys   map[string]Credential
	signer *v4.Signer
}

// NewSigV4Verifier returns a verifier for cfg.
func NewSigV4Verifier(cfg SigV4Config) *SigV4Verifier {
	keys := make(map[string]Credential, len(cfg.Credentials))
	for _, c := range cfg.Credentials {
		keys[c.AccessKeyID] = c
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	return &SigV4Verifier{cfg: cfg, keys: keys, signer: v4.NewSigner()}
}

// Authenticate is a Router.Authenticate hook: it sets the response's Date
// from the service clock, as AWS does on every response (aws-sdk-go-v2
// corrects its signing clock from it after a skew error), and verifies
// the request's signature.
func (v *SigV4Verifier) Authenticate(w http.ResponseWriter, req *http.Request) *Error {
	w.Header().Set("Date", v.cfg.Clock.Now().UTC().Format(http.TimeFormat))
	return v.Verify(req)
}

// Verify checks req's signature. It reads the body and puts it back for
// the handler.
func (v *SigV4Verifier) Verify(req *http.Request) *Error {
	if isPresigned(req) {
		return v.verifyPresigned(req) // sigv4_query.go
	}
	if req.Header.Get("Authorization") == "" {
		return missingToken(req)
	}
	h, aerr := parseAuth(req)
	if aerr != nil {
		return aerr
	}
	if now := v.cfg.Clock.Now(); h.amzDate.Before(now.Add(-maxSkew)) || h.amzDate.After(now.Add(maxSkew)) {
		return expired(req, h.amzDate, now)
	}
	cred, payloadHash, aerr := v.admit(req, h)
	if aerr != nil {
		return aerr
	}
	want, err := v.expected(req, h, cred, payloadHash)
	if err != nil {
		return Internal(err)
	}
	if !hmac.Equal([]byte(want), []byte(h.signature)) {
		return authError(req, codeInvalidSignature, msgInvalidSignature)
	}
	return nil
}

// admit checks what a signature in the Authorization header and one in
// a presigned query share, once the request's time is checked: a known key,
// the credential scope and the signed headers. It returns the key and the
// payload hash to recompute the signature with.
func (v *SigV4Verifier) admit(req *http.Request, h authHeader) (Credential, string, *Error) {
	cred, aerr := v.credential(req, h.accessKeyID)
	if aerr != nil {
		return Credential{}, "", aerr
	}
	if aerr := h.checkScope(req, v.cfg.Region, v.services(req)); aerr != nil {
		return Credential{}, "", aerr
	}
	if aerr := h.checkSignedHeaders(req); aerr != nil {
		return Credential{}, "", aerr
	}
	hash, aerr := payloadHash(req)
	if aerr != nil {
		return Credential{}, "", aerr
	}
	return cred, hash, nil
}

func (v *SigV4Verifier) services(req *http.Request) []string {
	if v.cfg.Services == nil {
		return nil
	}
	return v.cfg.Services(req)
}

// credential finds the key, and checks the session token it requires (a
// token with a key that has none is as invalid as an unknown key).
func (v *SigV4Verifier) credential(req *http.Request, akid string) (Credential, *Error) {
	c, ok := v.keys[akid]
	if !ok && v.cfg.Lookup != nil {
		c, ok = v.cfg.Lookup(akid)
	}
	if !ok || requestToken(req) != c.SessionToken {
		return Credential{}, authError(req, codeUnrecognizedClient, msgUnrecognizedClient)
	}
	return c, nil
}

// payloadHash is the hex SHA-256 of the body, which it reads and puts
// back. An X-Amz-Content-Sha256 header must match it: the signature covers
// the header, and the body must be the one it describes.
func payloadHash(req *http.Request) (string, *Error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
		if err != nil {
			return "", authError(req, codeIncomplete, "read request body: "+err.Error())
		}
		if len(b) > maxBody {
			return "", &Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLargeException",
				Message: fmt.Sprintf("Request body exceeds the maximum of %d bytes", maxBody)}
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if claimed := req.Header.Get("X-Amz-Content-Sha256"); claimed != "" && claimed != hash {
		return "", authError(req, codeInvalidSignature, msgInvalidSignature)
	}
	return hash, nil
}

// expected signs a copy of req that holds only the headers the client
// signed (aws-sdk-go-v2's signer signs every header it is given) and
// returns the signature.
func (v *SigV4Verifier) expected(req *http.Request, h authHeader, cred Credential, payloadHash string) (string, error) {
	c, err := SignedCopy(req, h.signedHeaders)
	if err != nil {
		return "", err
	}
	creds := aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey, SessionToken: cred.SessionToken}
	if err := v.signer.SignHTTP(context.Background(), creds, c, payloadHash, h.service, h.region, h.amzDate); err != nil {
		return "", fmt.Errorf("recompute signature: %w", err)
	}
	_, sig, ok := strings.Cut(c.Header.Get("Authorization"), "Signature=")
	if !ok {
		return "", fmt.Errorf("recompute signature: no signature in %q", c.Header.Get("Authorization"))
	}
	return sig, nil
}

// SignedCopy builds the request a signer recomputes a signature over:
// method, path as sent (the signer URI-encodes it once more, as SigV4 does
// for every service but S3), query, host and the signed headers. The
// Roles Anywhere verifier canonicalises the same copy.
func SignedCopy(req *http.Request, signed []string) (*http.Request, error) {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	c, err := http.NewRequest(req.Method, scheme+"://stepwire.invalid/", nil)
	if err != nil {
		return nil, fmt.Errorf("copy request: %w", err)
	}
	// RawPath keeps the client's escaping, e.g. %2F in an IoT topic.
	c.URL = &url.URL{Scheme: scheme, Host: host, Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	c.Host = host
	for _, name := range signed {
		switch name {
		case "host":
		case "content-length":
			c.ContentLength = contentLength(req)
		default:
			c.Header[textproto.CanonicalMIMEHeaderKey(name)] = req.Header.Values(name)
		}
	}
	return c, nil
}

func contentLength(req *http.Request) int64 {
	if req.ContentLength >= 0 {
		return req.ContentLength
	}
	n, _ := strconv.ParseInt(req.Header.Get("Content-Length"), 10, 64)
	return n
}
