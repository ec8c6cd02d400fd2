package rolesanywhere

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

// SigningName is the service name in a Roles Anywhere credential scope.
const SigningName = "rolesanywhere"

// Canonical is what SigV4's canonicalisation yields for one request
// (docs/roles-anywhere.md §1): the parts of the string to sign that do not
// depend on the key.
type Canonical struct {
	// AmzDate is the X-Amz-Date value, e.g. 20260101T000000Z.
	AmzDate string
	// Scope is date/region/rolesanywhere/aws4_request.
	Scope string
	// SignedHeaders is the ';'-joined list of signed header names.
	SignedHeaders string
	// RequestHash is the hex SHA-256 of the canonical request.
	RequestHash string
}

// StringToSign is the X.509 string to sign for algorithm
// (docs/roles-anywhere.md §2.2): SigV4's, with the algorithm's name on the
// first line.
func (c Canonical) StringToSign(algorithm string) string {
	return algorithm + "\n" + c.AmzDate + "\n" + c.Scope + "\n" + c.RequestHash
}

// Canonicalize runs aws-sdk-go-v2's SigV4 canonicalisation over req at t
// for region and returns its result. It signs req in place with a
// throwaway key, as the SDK signs any request: it sets X-Amz-Date and
// Authorization (which the caller overwrites) and signs every header req
// holds except the SDK's ignored ones (Authorization, User-Agent,
// X-Amzn-Trace-Id, Expect, Transfer-Encoding). The canonical request comes
// from the signer's debug log of the string to sign, a public option
// (SignerOptions.LogSigning), so the X.509 signer and the emulator's
// verifier canonicalise exactly as the SDK, and the emulator's SigV4
// verifier, do.
func Canonicalize(ctx context.Context, req *http.Request, payloadHash, region string, t time.Time) (Canonical, error) {
	var log stringToSignLog
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		o.LogSigning = true
		o.Logger = &log
	})
	creds := aws.Credentials{AccessKeyID: "canonical", SecretAccessKey: "canonical"}
	if err := signer.SignHTTP(ctx, creds, req, payloadHash, SigningName, region, t); err != nil {
		return Canonical{}, fmt.Errorf("canonicalize request: %w", err)
	}
	lines := strings.Split(log.stringToSign, "\n")
	if len(lines) != 4 || lines[0] != "AWS4-HMAC-SHA256" {
		return Canonical{}, fmt.Errorf("canonicalize request: unexpected string to sign %q", log.stringToSign)
	}
	_, signed, ok := strings.Cut(req.Header.Get("Authorization"), "SignedHeaders=")
	if !ok {
		return Canonical{}, fmt.Errorf("canonicalize request: no SignedHeaders in %q", req.Header.Get("Authorization"))
	}
	signed, _, _ = strings.Cut(signed, ",")
	return Canonical{AmzDate: lines[1], Scope: lines[2], SignedHeaders: signed, RequestHash: lines[3]}, nil
}

// stringToSignLog receives the signer's debug record, whose arguments are
// the canonical request, the string to sign and the presigned URL.
type stringToSignLog struct{ stringToSign string }

func (l *stringToSignLog) Logf(_ logging.Classification, _ string, v ...any) {
	if len(v) >= 2 {
		if s, ok := v[1].(string); ok {
			l.stringToSign = s
		}
	}
}
