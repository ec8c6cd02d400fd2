package iotemu

import (
	"context"
	"fmt"
	"strings"

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
	c := &certificate{
		id: iss.ID(), pem: string(iss.CertPEM), commonName: commonName,
		status: StatusInactive, created: s.cfg.Clock.Now(),
	}
	c.arn = s.arn("cert/" + c.id)
	if active {
		c.status = StatusActive
	}
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
// every live connection made with it (reference §2.2).
func (s *Service) UpdateCertificate(certID, status string) error {
	if err := s.reg.setCertificateStatus(certID, status); err != nil {
		return err
	}
	if status != StatusActive {
		s.hook.disconnectCertificate(certID)
	}
	return nil
}

// Publish publishes like the iot-data Publish API: through the broker's
// inline client, authorized by IAM rather than IoT policies.
func (s *Service) Publish(ctx context.Context, topic string, payload []byte, qos byte) error {
	return s.publish(ctx, topic, payload, qos, false)
}

func (s *Service) publish(ctx context.Context, topic string, payload []byte, qos byte, retain bool) error {
	if err := validTopic(topic); err != nil {
		return fmt.Errorf("publish to %q: %w", topic, err)
	}
	if qos > 1 {
		return fmt.Errorf("publish to %q: %w: qos must be 0 or 1", topic, ErrInvalidRequest)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish to %q: %w", topic, err)
	}
	s.log.Info("hop", "hop", "publish", "topic", topic)
	if err := s.broker.Publish(topic, payload, retain, qos); err != nil {
		return fmt.Errorf("publish to %q: %w", topic, err)
	}
	return nil
}

func validTopic(topic string) error {
	switch {
	case topic == "":
		return fmt.Errorf("%w: empty topic", ErrInvalidRequest)
	case strings.ContainsAny(topic, "+#"):
		return fmt.Errorf("%w: topic names may not contain wildcards", ErrInvalidRequest)
	case strings.ContainsRune(topic, 0):
		return fmt.Errorf("%w: topic contains U+0000", ErrInvalidRequest)
	case strings.HasPrefix(topic, "$SYS"):
		return fmt.Errorf("%w: reserved topic", ErrInvalidRequest)
	}
	return nil
}
