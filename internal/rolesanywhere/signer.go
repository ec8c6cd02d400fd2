// Package rolesanywhere is the client side of IAM Roles Anywhere: it signs
// requests with an X.509 certificate and its private key (the
// AWS4-X509-RSA-SHA256 and AWS4-X509-ECDSA-SHA256 algorithms), calls
// CreateSession, and offers the temporary credentials it returns as an
// aws.CredentialsProvider that refreshes them before they expire. It does
// what AWS's credential helper does, in-process and without cgo; the
// emulator's CreateSession (emulator/rolesanywhere) verifies with the same
// canonicalisation. See docs/roles-anywhere.md.
package rolesanywhere

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The signing algorithms (docs/roles-anywhere.md §2.2).
const (
	AlgorithmRSA   = "AWS4-X509-RSA-SHA256"
	AlgorithmECDSA = "AWS4-X509-ECDSA-SHA256"
)

// Headers that carry the certificates (docs/roles-anywhere.md §2.2).
const (
	HeaderX509      = "X-Amz-X509"
	HeaderX509Chain = "X-Amz-X509-Chain"
)

// Signer signs requests with a certificate's private key.
type Signer struct {
	leaf      *x509.Certificate
	chain     [][]byte // DER of the intermediates, leaf excluded
	key       crypto.Signer
	algorithm string
}

// NewSigner returns a signer for cert, whose first certificate is the leaf
// and the rest its intermediates (as tls.LoadX509KeyPair reads a PEM
// chain). The key must be RSA or ECDSA on P-256 or P-384, and match the
// leaf.
func NewSigner(cert tls.Certificate) (*Signer, error) {
	if len(cert.Certificate) == 0 {
		return nil, errors.New("rolesanywhere: no certificate")
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("rolesanywhere: parse certificate: %w", err)
	}
	key, ok := cert.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("rolesanywhere: private key %T cannot sign", cert.PrivateKey)
	}
	alg, err := Algorithm(leaf.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("rolesanywhere: %w", err)
	}
	if !publicKeysEqual(key.Public(), leaf.PublicKey) {
		return nil, errors.New("rolesanywhere: private key does not match the certificate")
	}
	return &Signer{leaf: leaf, chain: cert.Certificate[1:], key: key, algorithm: alg}, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}

// Algorithm names the signing algorithm for a certificate's public key:
// AWS4-X509-RSA-SHA256 for RSA, AWS4-X509-ECDSA-SHA256 for ECDSA on P-256
// or P-384.
func Algorithm(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return AlgorithmRSA, nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() || k.Curve == elliptic.P384() {
			return AlgorithmECDSA, nil
		}
		return "", fmt.Errorf("ECDSA curve %s is not supported (P-256 or P-384)", k.Curve.Params().Name)
	}
	return "", fmt.Errorf("%T keys are not supported (RSA or ECDSA)", pub)
}

// Serial is the credential a certificate signs as: its serial number in
// decimal (docs/roles-anywhere.md §2.2).
func Serial(cert *x509.Certificate) string { return cert.SerialNumber.String() }

// Leaf is the certificate the signer signs as.
func (s *Signer) Leaf() *x509.Certificate { return s.leaf }

// Sign signs req, whose body is body, for region at t
// (docs/roles-anywhere.md §2.2): it sets X-Amz-X509 (and X-Amz-X509-Chain
// when there are intermediates), X-Amz-Date and an Authorization header
//
//	AWS4-X509-ECDSA-SHA256 Credential=<serial>/<date>/<region>/rolesanywhere/aws4_request,
//	  SignedHeaders=content-type;host;x-amz-date;x-amz-x509, Signature=<hex>
//
// Every header req holds when Sign is called is signed.
func (s *Signer) Sign(ctx context.Context, req *http.Request, body []byte, region string, t time.Time) error {
	req.Header.Set(HeaderX509, base64.StdEncoding.EncodeToString(s.leaf.Raw))
	if len(s.chain) > 0 {
		parts := make([]string, len(s.chain))
		for i, der := range s.chain {
			parts[i] = base64.StdEncoding.EncodeToString(der)
		}
		req.Header.Set(HeaderX509Chain, strings.Join(parts, ","))
	}
	sum := sha256.Sum256(body)
	// The credential helper does not sign Content-Length; the SDK's signer
	// signs it whenever ContentLength > 0 (docs/roles-anywhere.md §2.2).
	n := req.ContentLength
	req.ContentLength = 0
	c, err := Canonicalize(ctx, req, hex.EncodeToString(sum[:]), region, t)
	req.ContentLength = n
	if err != nil {
		return fmt.Errorf("rolesanywhere: sign: %w", err)
	}
	digest := sha256.Sum256([]byte(c.StringToSign(s.algorithm)))
	sig, err := s.key.Sign(rand.Reader, digest[:], crypto.SHA256) // PKCS#1 v1.5 for RSA, ASN.1 DER for ECDSA
	if err != nil {
		return fmt.Errorf("rolesanywhere: sign: %w", err)
	}
	req.Header.Set("Authorization", AuthorizationHeader(s.algorithm, Serial(s.leaf), c, hex.EncodeToString(sig)))
	return nil
}

// AuthorizationHeader formats the Authorization header value.
func AuthorizationHeader(algorithm, serial string, c Canonical, signature string) string {
	return algorithm + " Credential=" + serial + "/" + c.Scope + ", SignedHeaders=" + c.SignedHeaders + ", Signature=" + signature
}

// VerifySignature checks a hex signature over the string to sign with a
// certificate's public key: RSA PKCS#1 v1.5 or ECDSA (ASN.1 DER), both
// over SHA-256 (docs/roles-anywhere.md §2.2).
func VerifySignature(pub crypto.PublicKey, stringToSign, signatureHex string) error {
	sig, err := hex.DecodeString(signatureHex)
	if err != nil {
		return errors.New("signature is not hex")
	}
	digest := sha256.Sum256([]byte(stringToSign))
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest[:], sig) {
			return errors.New("ecdsa: verification error")
		}
		return nil
	}
	return fmt.Errorf("%T keys are not supported", pub)
}
