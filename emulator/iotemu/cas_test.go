package iotemu

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ownCA is a user's own certificate authority, made for one test.
type ownCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  string
}

func newOwnCA(t *testing.T) *ownCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "acme root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &ownCA{cert: cert, key: key, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// issue signs a certificate for cn and returns it with its key, as PEM.
func (ca *ownCA) issue(t *testing.T, cn string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	kd, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})
}

// docs/iot-core.md §8.3: CA registration through the aws CLI — the
// registration code and verification certificate, the CA's status
// gating RegisterCertificate, deletion only once INACTIVE.
func TestAWSCLICACertificates(t *testing.T) {
	s, _ := startService(t)
	c := newCLI(t, s)
	ca := newOwnCA(t)
	code := c.must("iot", "get-registration-code")["registrationCode"].(string)
	require.Equal(t, s.RegistrationCode(), code)
	wrongPEM, _ := ca.issue(t, "not the code")
	c.fails("RegistrationCodeValidationException", "iot", "register-ca-certificate", "--ca-certificate", c.file("ca.pem", ca.pem),
		"--verification-certificate", c.file("v.pem", string(wrongPEM)))
	notCA, _ := ca.issue(t, code)
	c.fails("CertificateValidationException", "iot", "register-ca-certificate", "--ca-certificate", c.file("nca.pem", string(notCA)),
		"--certificate-mode", "SNI_ONLY")
	verification, _ := ca.issue(t, code)
	reg := c.must("iot", "register-ca-certificate", "--ca-certificate", c.file("ca.pem", ca.pem),
		"--verification-certificate", c.file("v.pem", string(verification)))
	caID := reg["certificateId"].(string)
	require.Equal(t, "arn:aws:iot:us-east-1:123456789012:cacert/"+caID, reg["certificateArn"])
	c.fails("ResourceAlreadyExistsException", "iot", "register-ca-certificate", "--ca-certificate", c.file("ca.pem", ca.pem),
		"--verification-certificate", c.file("v.pem", string(verification)))
	desc := c.must("iot", "describe-ca-certificate", "--certificate-id", caID)["certificateDescription"].(map[string]any)
	require.Equal(t, "INACTIVE", desc["status"])
	require.Equal(t, "DISABLE", desc["autoRegistrationStatus"])
	require.Len(t, c.must("iot", "list-ca-certificates")["certificates"], 1)

	devPEM, _ := ca.issue(t, "dev")
	c.fails("CertificateStateException", "iot", "register-certificate", "--certificate-pem", c.file("d.pem", string(devPEM)),
		"--ca-certificate-pem", c.file("ca.pem", ca.pem))
	c.must("iot", "update-ca-certificate", "--certificate-id", caID, "--new-status", "ACTIVE")
	c.fails("CertificateStateException", "iot", "delete-ca-certificate", "--certificate-id", caID)
	c.must("iot", "register-certificate", "--certificate-pem", c.file("d.pem", string(devPEM)),
		"--ca-certificate-pem", c.file("ca.pem", ca.pem), "--set-as-active")
	other := newOwnCA(t)
	otherDev, _ := other.issue(t, "x")
	c.fails("CertificateValidationException", "iot", "register-certificate", "--certificate-pem", c.file("o.pem", string(otherDev)),
		"--ca-certificate-pem", c.file("oca.pem", other.pem))
	c.must("iot", "update-ca-certificate", "--certificate-id", caID, "--new-status", "INACTIVE")
	c.must("iot", "delete-ca-certificate", "--certificate-id", caID)
	c.fails("ResourceNotFoundException", "iot", "describe-ca-certificate", "--certificate-id", caID)
}

// docs/iot-core.md §8.3: just-in-time registration — the first connection
// of a certificate signed by an auto-registering CA fails, registers it
// as PENDING_ACTIVATION and publishes the registered event; once ACTIVE
// and given a policy, it connects.
func TestSpecJustInTimeRegistration(t *testing.T) {
	s, _ := startService(t)
	ca := newOwnCA(t)
	_, err := s.RegisterCACertificate(RegisterCAInput{CACertificatePEM: ca.pem, Mode: CAModeSNIOnly, SetAsActive: true, AllowAutoRegistration: true})
	require.NoError(t, err)
	caID := sha256Hex(t, []byte(ca.pem))
	watcher := mustDial(t, s, setupThing(t, s, "watcher", ""), "watcher")
	require.Equal(t, byte(1), subscribe(t, watcher, "$aws/events/certificates/registered/+"))

	certPEM, keyPEM := ca.issue(t, "dev")
	devTLS := clientTLS(t, s, certPEM, keyPEM)
	_, _, err = dial(t, s, devTLS, "dev")
	require.Error(t, err, "the first connection fails")
	ev := receive(t, watcher)
	require.Equal(t, "$aws/events/certificates/registered/"+caID, ev.Topic)
	var body map[string]any
	require.NoError(t, json.Unmarshal(ev.Payload, &body))
	id := sha256Hex(t, certPEM)
	require.Equal(t, id, body["certificateId"])
	require.Equal(t, "PENDING_ACTIVATION", body["certificateStatus"])
	info, err := s.DescribeCertificate(id)
	require.NoError(t, err)
	require.Equal(t, StatusPendingActivation, info.Status)
	_, _, err = dial(t, s, devTLS, "dev")
	require.Error(t, err, "PENDING_ACTIVATION cannot connect")

	require.NoError(t, s.reg.setCertificateStatus(id, StatusActive, time.Now()))
	require.NoError(t, s.CreatePolicy("Any", topicPolicy("x")))
	require.NoError(t, s.AttachPolicy("Any", id))
	mustDial(t, s, devTLS, "dev")

	// An INACTIVE CA registers nothing.
	require.NoError(t, s.UpdateCACertificate(caID, StatusInactive, ""))
	late, lateKey := ca.issue(t, "late")
	_, _, err = dial(t, s, clientTLS(t, s, late, lateKey), "late")
	require.Error(t, err)
	_, err = s.DescribeCertificate(sha256Hex(t, late))
	require.ErrorIs(t, err, ErrNotFound)
}

// docs/iot-core.md §8.3: the registry holds at most maxCACertificates CAs.
func TestCACertificateBound(t *testing.T) {
	s, _ := startService(t)
	for range maxCACertificates {
		_, err := s.RegisterCACertificate(RegisterCAInput{CACertificatePEM: newOwnCA(t).pem, Mode: CAModeSNIOnly})
		require.NoError(t, err)
	}
	_, err := s.RegisterCACertificate(RegisterCAInput{CACertificatePEM: newOwnCA(t).pem, Mode: CAModeSNIOnly})
	require.ErrorIs(t, err, ErrLimitExceeded)
}
