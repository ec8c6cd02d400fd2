package iotemu

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// selfSignedClient makes a self-signed client certificate valid until
// notAfter, as a user would register with RegisterCertificateWithoutCA.
func selfSignedClient(t *testing.T, cn string, notAfter time.Time) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

// Reference §2.2: expired client certificates are refused. Expiry is
// measured on the service clock, so virtual time expires a certificate:
// one valid for another hour connects, and two virtual hours later a new
// connection fails the TLS handshake, the registry naming the expiry.
func TestSpecExpiredCertificateRefusedOnServiceClock(t *testing.T) {
	fake := clock.NewFake(time.Now())
	s := startServiceWith(t, func(c *Config) { c.Clock = fake })
	certPEM, keyPEM := selfSignedClient(t, "dev", fake.Now().Add(time.Hour))
	info, err := s.RegisterCertificate(string(certPEM), "", StatusActive)
	require.NoError(t, err)
	require.NoError(t, s.CreatePolicy("connect-any", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]}`))
	require.NoError(t, s.AttachPolicy("connect-any", info.ARN))
	cfg := clientTLS(t, s, certPEM, keyPEM)

	_, _, err = dial(t, s, cfg, "dev")
	require.NoError(t, err, "certificate valid for another hour")

	fake.Advance(2 * time.Hour)
	_, _, err = dial(t, s, cfg, "dev")
	// The client sees the TLS alert (bad_certificate) or, under TLS 1.3,
	// the closed connection when it writes CONNECT.
	require.Error(t, err, "expired certificate connected")
	err = s.reg.certificateUsable(info.ID, fake.Now())
	require.True(t, errors.Is(err, errCertificateExpired), "registry reason: %v", err)

	// Registering an already expired certificate is refused too.
	expiredPEM, _ := selfSignedClient(t, "late", fake.Now().Add(-time.Minute))
	_, err = s.RegisterCertificate(string(expiredPEM), "", StatusActive)
	require.ErrorIs(t, err, ErrCertificateValidation)
	require.ErrorContains(t, err, "expired")
}
