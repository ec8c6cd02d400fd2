package awsapi

import (
	"context"
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The presigned (query-string) form of SigV4 ("Authenticating requests:
// using query parameters", Amazon S3 API reference; the same algorithm
// for every service). stepwire's IoT Core serves MQTT over WebSocket with
// it (docs/iot-core.md §7.2).
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSignature     = "X-Amz-Signature"
	qSecurityToken = "X-Amz-Security-Token"
	// maxPresignExpires is the longest X-Amz-Expires AWS accepts, 7 days.
	maxPresignExpires = 7 * 24 * 3600
)

// isPresigned reports whether req carries its signature in the query.
func isPresigned(req *http.Request) bool {
	q := req.URL.Query()
	return q.Has(qSignature) || q.Has(qCredential)
}

// requestToken is the session token of a request: the
// X-Amz-Security-Token header, or the query parameter of a presigned one.
func requestToken(req *http.Request) string {
	if t := req.Header.Get(qSecurityToken); t != "" {
		return t
	}
	return req.URL.Query().Get(qSecurityToken)
}

// presignedQuery is a parsed presigned query: the parts the header form
// has, and X-Amz-Expires (0 when absent).
type presignedQuery struct {
	authHeader
	expires time.Duration
}

// parsePresigned reads the X-Amz-* query parameters. X-Amz-Expires is
// optional: the AWS IoT Device SDKs do not send it for MQTT over
// WebSocket; without it the signature is good within the usual clock
// window.
func parsePresigned(req *http.Request) (presignedQuery, *Error) {
	q := req.URL.Query()
	var missing []string
	for _, k := range []string{qAlgorithm, qCredential, qDate, qSignedHeaders, qSignature} {
		if q.Get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return presignedQuery{}, authError(req, codeIncomplete, "AWS query-string parameters must include '"+
			strings.Join(missing, "', '")+"'. Re-examine the query-string parameters.")
	}
	if alg := q.Get(qAlgorithm); alg != sigV4Algorithm {
		return presignedQuery{}, authError(req, codeIncomplete, "Unsupported "+qAlgorithm+" '"+alg+
			"': stepwire verifies "+sigV4Algorithm+" signatures only.")
	}
	p := presignedQuery{authHeader: authHeader{signature: q.Get(qSignature),
		signedHeaders: strings.Split(q.Get(qSignedHeaders), ";")}}
	if aerr := p.parseCredential(req, q.Get(qCredential)); aerr != nil {
		return presignedQuery{}, aerr
	}
	t, err := time.Parse(amzDateLayout, q.Get(qDate))
	if err != nil {
		return presignedQuery{}, authError(req, codeIncomplete, qDate+" must be in the ISO 8601 basic format "+
			"yyyyMMdd'T'HHmmss'Z', got '"+q.Get(qDate)+"'.")
	}
	p.amzDate = t
	if raw := q.Get(qExpires); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxPresignExpires {
			return presignedQuery{}, authError(req, codeIncomplete, fmt.Sprintf(
				"%s must be a number of seconds from 1 to %d (7 days), got '%s'.", qExpires, maxPresignExpires, raw))
		}
		p.expires = time.Duration(n) * time.Second
	}
	return p, nil
}

// checkTime: a presigned request is good from X-Amz-Date (less the clock
// window) until X-Amz-Date + X-Amz-Expires, or within the clock window of
// X-Amz-Date when it has no X-Amz-Expires.
func (p presignedQuery) checkTime(req *http.Request, now time.Time) *Error {
	if p.expires == 0 || p.amzDate.After(now.Add(maxSkew)) {
		if p.amzDate.Before(now.Add(-maxSkew)) || p.amzDate.After(now.Add(maxSkew)) {
			return expired(req, p.amzDate, now)
		}
		return nil
	}
	if end := p.amzDate.Add(p.expires); now.After(end) {
		f := func(t time.Time) string { return t.UTC().Format(amzDateLayout) }
		return authError(req, codeInvalidSignature, "Signature expired: "+f(p.amzDate)+" + "+qExpires+" "+
			strconv.Itoa(int(p.expires/time.Second))+" s = "+f(end)+" is now earlier than "+f(now)+".")
	}
	return nil
}

// verifyPresigned checks a presigned request. The session token may be
// signed (in the canonical query, as aws-sdk-go-v2's PresignHTTP does) or
// appended after signing, as AWS IoT's MQTT over WebSocket expects and
// its SDKs do (docs/iot-core.md §7.2): both are accepted.
func (v *SigV4Verifier) verifyPresigned(req *http.Request) *Error {
	p, aerr := parsePresigned(req)
	if aerr != nil {
		return aerr
	}
	if aerr := p.checkTime(req, v.cfg.Clock.Now()); aerr != nil {
		return aerr
	}
	cred, payloadHash, aerr := v.admit(req, p.authHeader)
	if aerr != nil {
		return aerr
	}
	variants := []bool{false}
	if cred.SessionToken != "" {
		variants = append(variants, true)
	}
	for _, signToken := range variants {
		want, err := v.expectedPresigned(req, p, cred, payloadHash, signToken)
		if err != nil {
			return Internal(err)
		}
		if hmac.Equal([]byte(want), []byte(p.signature)) {
			return nil
		}
	}
	return authError(req, codeInvalidSignature, msgInvalidSignature)
}

// expectedPresigned recomputes the signature of a presigned request with
// the session token in the canonical query (signToken) or out of it.
func (v *SigV4Verifier) expectedPresigned(req *http.Request, p presignedQuery, cred Credential, payloadHash string, signToken bool) (string, error) {
	c, err := SignedCopy(req, p.signedHeaders)
	if err != nil {
		return "", err
	}
	q := req.URL.Query()
	q.Del(qSignature)
	creds := aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}
	if signToken {
		creds.SessionToken = cred.SessionToken
	} else {
		q.Del(qSecurityToken)
	}
	c.URL.RawQuery = q.Encode()
	u, _, err := v.signer.PresignHTTP(context.Background(), creds, c, payloadHash, p.service, p.region, p.amzDate,
		func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })
	if err != nil {
		return "", fmt.Errorf("recompute presigned signature: %w", err)
	}
	signed, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("recompute presigned signature: %w", err)
	}
	return signed.Query().Get(qSignature), nil
}
