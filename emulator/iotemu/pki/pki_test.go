package pki

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoadOrCreateReusesCA(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreate(dir)
	require.NoError(t, err)
	b, err := LoadOrCreate(dir)
	require.NoError(t, err)
	require.Equal(t, a.Cert.Raw, b.Cert.Raw)

	// The reloaded CA still signs certificates that chain to the first.
	iss, err := b.IssueClient("tenant1")
	require.NoError(t, err)
	_, err = iss.Cert.Verify(x509.VerifyOptions{Roots: a.Pool(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	require.NoError(t, err)
}

// Reference §2.1: the certificate id is the lowercase hex SHA-256 of the
// DER encoding.
func TestSpecCertificateID(t *testing.T) {
	ca, err := NewCA()
	require.NoError(t, err)
	iss, err := ca.IssueClient("x")
	require.NoError(t, err)
	sum := sha256.Sum256(iss.Cert.Raw)
	require.Equal(t, hex.EncodeToString(sum[:]), iss.ID())
	require.Len(t, iss.ID(), 64)
	_, err = tls.X509KeyPair(iss.CertPEM, iss.PrivateKeyPEM)
	require.NoError(t, err)
}

func TestIssueServerNames(t *testing.T) {
	ca, err := NewCA()
	require.NoError(t, err)
	c, err := ca.IssueServer([]string{"localhost", "127.0.0.1", "::1"})
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	require.NoError(t, err)
	for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
		_, err := leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: h})
		require.NoError(t, err, h)
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "example.com"})
	require.Error(t, err)
}
