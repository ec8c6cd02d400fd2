package iotemu

import (
	"fmt"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// createKeysAndCertificate issues a key pair and certificate signed by the
// emulator CA and registers it (CreateKeysAndCertificate).
func (s *Service) createKeysAndCertificate(commonName string, active bool) (*certificate, pki.Issued, error) {
	if commonName == "" {
		commonName = "AWS IoT Certificate"
	}
	iss, err := s.ca.IssueClient(commonName)
	if err != nil {
		return nil, pki.Issued{}, fmt.Errorf("create keys and certificate: %w", err)
	}
	status := StatusInactive
	if active {
		status = StatusActive
	}
	c := s.newCertificate(iss.Cert, string(iss.CertPEM), "", status)
	if err := s.reg.addCertificate(c); err != nil {
		return nil, pki.Issued{}, err
	}
	return c, iss, nil
}

// IssueCertificate creates an ACTIVE certificate with CN=thing, attaches
// policy to it and attaches it to thing. thing and policy must exist; an
// empty name skips that attachment.
func (s *Service) IssueCertificate(thing, policyName string) (certPEM, keyPEM []byte, certID string, err error) {
	c, iss, err := s.createKeysAndCertificate(thing, true)
	if err != nil {
		return nil, nil, "", err
	}
	if policyName != "" {
		if err := s.AttachPolicy(policyName, c.arn); err != nil {
			return nil, nil, "", fmt.Errorf("issue certificate: %w", err)
		}
	}
	if thing != "" {
		if err := s.AttachThingPrincipal(thing, c.arn); err != nil {
			return nil, nil, "", fmt.Errorf("issue certificate: %w", err)
		}
	}
	return iss.CertPEM, iss.PrivateKeyPEM, c.id, nil
}

// UpdateCertificate sets a certificate's status. Leaving ACTIVE closes
// every live connection made with it (docs/iot-core.md §2.2).
func (s *Service) UpdateCertificate(certID, status string) error {
	if err := s.reg.setCertificateStatus(certID, status, s.cfg.Clock.Now()); err != nil {
		return err
	}
	if status != StatusActive {
		s.hook.disconnectCertificate(certID)
	}
	return nil
}
