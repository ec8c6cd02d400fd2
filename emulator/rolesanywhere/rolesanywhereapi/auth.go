package rolesanywhereapi

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/internal/rolesanywhere"
)

// maxSkew is how far X-Amz-Date may be from the emulator's clock, SigV4's
// usual five minutes (docs/roles-anywhere.md §3.2).
const maxSkew = 5 * time.Minute

const amzDateLayout = "20060102T150405Z"

// signed is a request whose X.509 signature has been verified.
type signed struct {
	leaf          *x509.Certificate
	intermediates []*x509.Certificate
}

// x509Auth is a parsed AWS4-X509-* Authorization header.
type x509Auth struct {
	algorithm, serial, scope, signedHeaders, signature string
}

// IsX509Signed reports whether req carries an AWS4-X509-* signature, which
// the SigV4 verifier leaves to this package.
func IsX509Signed(req *http.Request) bool {
	return strings.HasPrefix(req.Header.Get("Authorization"), "AWS4-X509-")
}

// verify checks req's X.509 signature over its canonical request
// (docs/roles-anywhere.md §3.2): the header's form, X-Amz-Date against the
// clock, the certificate in X-Amz-X509 and its serial against the
// Credential, the scope, and the signature with the certificate's key.
func verify(req *http.Request, body []byte, region string, now time.Time) (signed, *awsapi.Error) {
	a, aerr := parseX509Auth(req.Header.Get("Authorization"))
	if aerr != nil {
		return signed{}, aerr
	}
	at, err := time.Parse(amzDateLayout, req.Header.Get("X-Amz-Date"))
	if err != nil {
		return signed{}, denied("X-Amz-Date must be in the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'")
	}
	if at.Before(now.Add(-maxSkew)) || at.After(now.Add(maxSkew)) {
		return signed{}, denied("Signature expired or not yet current: " + at.Format(amzDateLayout) +
			" is more than 5 min. from " + now.UTC().Format(amzDateLayout))
	}
	s, aerr := certificates(req)
	if aerr != nil {
		return signed{}, aerr
	}
	if a.serial != rolesanywhere.Serial(s.leaf) {
		return signed{}, denied("Credential " + a.serial + " does not match the serial number of the X-Amz-X509 certificate")
	}
	if alg, err := rolesanywhere.Algorithm(s.leaf.PublicKey); err != nil || alg != a.algorithm {
		return signed{}, denied("Algorithm " + a.algorithm + " does not fit the certificate's key")
	}
	if want := at.Format("20060102") + "/" + region + "/" + rolesanywhere.SigningName + "/aws4_request"; a.scope != want {
		return signed{}, denied("Credential should be scoped to '" + want + "', not '" + a.scope + "'")
	}
	if aerr := checkSignature(req, body, region, at, a, s.leaf); aerr != nil {
		return signed{}, aerr
	}
	return s, nil
}

func parseX509Auth(raw string) (x509Auth, *awsapi.Error) {
	alg, rest, _ := strings.Cut(raw, " ")
	if alg != rolesanywhere.AlgorithmRSA && alg != rolesanywhere.AlgorithmECDSA {
		return x509Auth{}, denied("Unsupported Authorization algorithm '" + alg + "'")
	}
	a := x509Auth{algorithm: alg}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			a.serial, a.scope, _ = strings.Cut(v, "/")
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			a.signature = v
		}
	}
	if a.serial == "" || a.signedHeaders == "" || a.signature == "" {
		return x509Auth{}, denied("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters")
	}
	return a, nil
}

// certificates decodes X-Amz-X509 and X-Amz-X509-Chain.
func certificates(req *http.Request) (signed, *awsapi.Error) {
	leaf, err := decodeCert(req.Header.Get(rolesanywhere.HeaderX509))
	if err != nil {
		return signed{}, denied("X-Amz-X509 must hold a base64 DER certificate: " + err.Error())
	}
	s := signed{leaf: leaf}
	if chain := req.Header.Get(rolesanywhere.HeaderX509Chain); chain != "" {
		for _, part := range strings.Split(chain, ",") {
			c, err := decodeCert(strings.TrimSpace(part))
			if err != nil {
				return signed{}, denied("X-Amz-X509-Chain must hold comma-separated base64 DER certificates: " + err.Error())
			}
			s.intermediates = append(s.intermediates, c)
		}
	}
	return s, nil
}

func decodeCert(b64 string) (*x509.Certificate, error) {
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// checkSignature recomputes the canonical request from a copy holding only
// the signed headers, with the SDK's canonicalisation as the SigV4
// verifier does, and verifies the signature with the certificate's key.
func checkSignature(req *http.Request, body []byte, region string, at time.Time, a x509Auth, leaf *x509.Certificate) *awsapi.Error {
	c, err := awsapi.SignedCopy(req, strings.Split(a.signedHeaders, ";"))
	if err != nil {
		return awsapi.Internal(err)
	}
	sum := sha256.Sum256(body)
	canon, err := rolesanywhere.Canonicalize(req.Context(), c, hex.EncodeToString(sum[:]), region, at)
	if err != nil {
		return awsapi.Internal(err)
	}
	if canon.SignedHeaders != a.signedHeaders {
		return denied("SignedHeaders must name host and x-amz-date and only headers the request holds, got '" + a.signedHeaders + "'")
	}
	if err := rolesanywhere.VerifySignature(leaf.PublicKey, canon.StringToSign(a.algorithm), a.signature); err != nil {
		return denied("Signature validation failed")
	}
	return nil
}

func denied(msg string) *awsapi.Error {
	return &awsapi.Error{Status: http.StatusForbidden, Code: "AccessDeniedException", Message: msg}
}
