package iotemu

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// serverTLS builds the listener's TLS configuration: TLS 1.2 or later, a
// server certificate from the emulator CA, and a client certificate that
// must be registered, ACTIVE and valid (otherwise the
// handshake fails, as IoT Core refuses unknown certificates in TLS).
func (s *Service) serverTLS() (*tls.Config, error) {
	serverCert, err := s.ca.IssueServer(s.hosts())
	if err != nil {
		return nil, fmt.Errorf("server certificate: %w", err)
	}
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{serverCert},
		// The service clock, so that the handshake (session ticket
		// ages, resumption of sessions whose certificate has expired)
		// agrees with VerifyConnection on virtual time.
		Time: s.cfg.Clock.Now,
		// Who signed the certificate does not matter once it is
		// registered (docs/iot-core.md §2.1): RegisterCertificate admits a
		// user's own CA or a self-signed certificate. The handshake still
		// proves the client holds the key.
		ClientAuth: tls.RequireAnyClientCert,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("iotemu: client certificate required")
			}
			leaf := cs.PeerCertificates[0]
			if !s.reg.certificateKnown(leaf.Raw) {
				s.registerJustInTime(leaf) // §8.3; the connection still fails
			}
			return s.reg.certificateUsable(pki.CertificateID(leaf.Raw), s.cfg.Clock.Now())
		},
	}
	if s.cfg.RequireSNI {
		cfg.GetConfigForClient = requireSNI
	}
	return cfg, nil
}

// errNoSNI ends a handshake whose ClientHello carries no server name.
var errNoSNI = errors.New("iotemu: TLS client sent no server name (SNI); IoT Core refuses such connections")

// requireSNI refuses a ClientHello without SNI before the handshake goes
// on; any name is accepted (docs/iot-core.md §8.4).
func requireSNI(hello *tls.ClientHelloInfo) (*tls.Config, error) {
	if hello.ServerName == "" {
		return nil, errNoSNI
	}
	return nil, nil
}
