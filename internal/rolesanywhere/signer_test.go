package rolesanywhere

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"
)

// goldenSigner loads testdata/rsa-{cert,key}.pem: a throwaway self-signed
// RSA 2048 certificate, serial 1234567890123456789, made for this test
// only. RSA PKCS#1 v1.5 signatures are deterministic, so the whole header
// is golden.
func goldenSigner(t *testing.T) *Signer {
	t.Helper()
	pair, err := tls.LoadX509KeyPair("testdata/rsa-cert.pem", "testdata/rsa-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(pair)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSpecSignGolden signs a CreateSession request as AWS's credential
// helper does (docs/roles-anywhere.md §2.2) and checks the string to sign
// against a canonical request written out by hand from the SigV4 rules
// (§1), and the header against the shape AWS's helper was observed to
// send: "AWS4-X509-RSA-SHA256 Credential=<decimal serial>/<date>/<region>/
// rolesanywhere/aws4_request, SignedHeaders=content-type;host;x-amz-date;
// x-amz-x509, Signature=<hex>".
func TestSpecSignGolden(t *testing.T) {
	s := goldenSigner(t)
	c := &Client{Endpoint: "https://rolesanywhere.us-east-2.amazonaws.com", Region: "us-east-2"}
	in := SessionInput{
		TrustAnchorArn: "arn:aws:rolesanywhere:us-east-2:123456789012:trust-anchor/ta",
		ProfileArn:     "arn:aws:rolesanywhere:us-east-2:123456789012:profile/p",
		RoleArn:        "arn:aws:iam::123456789012:role/worker",
	}
	req, body, err := c.request(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2022, 7, 13, 12, 34, 56, 0, time.UTC)
	if err := s.Sign(context.Background(), req, body, "us-east-2", at); err != nil {
		t.Fatal(err)
	}
	x509Header := base64.StdEncoding.EncodeToString(s.Leaf().Raw)
	canonical := strings.Join([]string{
		"POST",
		"/sessions",
		"profileArn=arn%3Aaws%3Arolesanywhere%3Aus-east-2%3A123456789012%3Aprofile%2Fp" +
			"&roleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fworker" +
			"&trustAnchorArn=arn%3Aaws%3Arolesanywhere%3Aus-east-2%3A123456789012%3Atrust-anchor%2Fta",
		"content-type:application/json",
		"host:rolesanywhere.us-east-2.amazonaws.com",
		"x-amz-date:20220713T123456Z",
		"x-amz-x509:" + x509Header,
		"",
		"content-type;host;x-amz-date;x-amz-x509",
		hexSHA256("{}"),
	}, "\n")
	wantSTS := "AWS4-X509-RSA-SHA256\n20220713T123456Z\n20220713/us-east-2/rolesanywhere/aws4_request\n" + hexSHA256(canonical)
	wantHeader := "AWS4-X509-RSA-SHA256 Credential=1234567890123456789/20220713/us-east-2/rolesanywhere/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date;x-amz-x509, Signature="
	auth := req.Header.Get("Authorization")
	if !strings.HasPrefix(auth, wantHeader) {
		t.Fatalf("Authorization = %q\nwant prefix %q", auth, wantHeader)
	}
	sig := strings.TrimPrefix(auth, wantHeader)
	if err := VerifySignature(s.Leaf().PublicKey, wantSTS, sig); err != nil {
		t.Fatalf("signature does not verify over the hand-built string to sign: %v", err)
	}
	if sig != goldenSignature {
		t.Errorf("signature = %s\nwant %s", sig, goldenSignature)
	}
	if req.Header.Get("X-Amz-Date") != "20220713T123456Z" || req.Header.Get(HeaderX509) != x509Header {
		t.Errorf("headers = %v", req.Header)
	}
	if req.Header.Get(HeaderX509Chain) != "" {
		t.Errorf("X-Amz-X509-Chain set without intermediates")
	}
}

const goldenSignature = "12845515de781f1dff11b8de1e413c44b54ebf7977b30997a15fb325737aa384ad698d3de6a1d18875d764760a8f797a" +
	"ee8c97041a071d4ec49cd92ccdeafccf5cfd11bba2d194e7a44ea36df320329a42767877e4c8d68ce0e56da11d6b9cc35c30966c942ee199a2ea23e4" +
	"572151bff82a16e51cacd20694a0ea735b54c80008cc6b52fd9412544a08fba3e2aac1ba6114ec477f0ebbdec3bb61852e98eb91decf1fe8aba2c58265c5" +
	"2074f251ec71f552dc8cca0784765db1dfa1b0d18fd146a1f52273481a3c13f18782bb854ce7f132c1f07e4b28592fe3e502b4b30bbd80c942d08a7ec0" +
	"30e3be8b47802390626791dced077c7db393d3c7fac3bd7cf9"

// TestSpecSignECDSA signs with ECDSA keys on P-256 and P-384 (AWS4-X509-
// ECDSA-SHA256, an ASN.1 DER signature over SHA-256 of the string to sign,
// docs/roles-anywhere.md §2.2), with an intermediate in X-Amz-X509-Chain,
// and refuses other curves.
func TestSpecSignECDSA(t *testing.T) {
	for _, tc := range []struct {
		curve elliptic.Curve
		ok    bool
	}{{elliptic.P256(), true}, {elliptic.P384(), true}, {elliptic.P521(), false}} {
		t.Run(tc.curve.Params().Name, func(t *testing.T) {
			pair := selfSigned(t, tc.curve)
			pair.Certificate = append(pair.Certificate, []byte("intermediate"))
			s, err := NewSigner(pair)
			if !tc.ok {
				if err == nil {
					t.Fatal("NewSigner accepted an unsupported curve")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:4566/sessions", nil)
			req.Header.Set("Content-Type", "application/json")
			if err := s.Sign(context.Background(), req, nil, "us-east-1", time.Now()); err != nil {
				t.Fatal(err)
			}
			auth := req.Header.Get("Authorization")
			if !strings.HasPrefix(auth, AlgorithmECDSA+" Credential="+Serial(s.Leaf())+"/") {
				t.Fatalf("Authorization = %q", auth)
			}
			if got := req.Header.Get(HeaderX509Chain); got != base64.StdEncoding.EncodeToString([]byte("intermediate")) {
				t.Errorf("X-Amz-X509-Chain = %q", got)
			}
			_, sig, _ := strings.Cut(auth, "Signature=")
			c, err := Canonicalize(context.Background(), req.Clone(context.Background()), hexSHA256(""), "us-east-1",
				mustParseDate(t, req.Header.Get("X-Amz-Date")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(auth, "SignedHeaders=content-type;host;x-amz-date;x-amz-x509;x-amz-x509-chain,") {
				t.Errorf("signed headers in %q", auth)
			}
			if err := VerifySignature(s.Leaf().PublicKey, c.StringToSign(AlgorithmECDSA), sig); err != nil {
				t.Errorf("signature does not verify: %v", err)
			}
		})
	}
}

func TestNewSignerRefusesMismatchedKey(t *testing.T) {
	a, b := selfSigned(t, elliptic.P256()), selfSigned(t, elliptic.P256())
	a.PrivateKey = b.PrivateKey
	if _, err := NewSigner(a); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("err = %v", err)
	}
}

func selfSigned(t *testing.T, curve elliptic.Curve) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "worker"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func mustParseDate(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse("20060102T150405Z", s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
