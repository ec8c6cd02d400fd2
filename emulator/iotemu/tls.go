package iotemu

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// serverTLS builds the listener's TLS configuration: TLS 1.2 or later, a
// server certificate from the emulator CA, and a client certificate that
// must chain to the CA and be registered and ACTIVE (otherwise the
// handshake fails, as IoT Core refuses unknown certificates in TLS).
func (s *Service) serverTLS() (*tls.Config, error) {
	serverCert, err := s.ca.IssueServer(s.hosts())
	if err != nil {
		return nil, fmt.Errorf("server certificate: %w", err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{serverCert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    s.ca.Pool(),
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("iotemu: client certificate required")
			}
			id := pki.CertificateID(cs.PeerCertificates[0].Raw)
			status, ok := s.reg.certificateStatus(id)
			if !ok {
				return fmt.Errorf("iotemu: certificate %s is not registered", id)
			}
			if status != StatusActive {
				return fmt.Errorf("iotemu: certificate %s is %s", id, status)
			}
			return nil
		},
	}, nil
}
