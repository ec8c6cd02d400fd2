package iotemu

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// registerJustInTime registers an unknown client certificate signed by an
// ACTIVE CA with auto-registration enabled, as PENDING_ACTIVATION, and
// publishes $aws/events/certificates/registered/<caCertificateId>. The
// connection that brought it is still refused (docs/iot-core.md §8.3).
func (s *Service) registerJustInTime(c *x509.Certificate) {
	caID, ok := s.reg.autoRegistrar(c)
	if !ok || validityError(c.NotBefore, c.NotAfter, s.cfg.Clock.Now()) != nil {
		return
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	entry := s.newCertificate(c, certPEM, s.caPEM(caID), StatusPendingActivation)
	if s.reg.addCertificate(entry) != nil {
		return // registered meanwhile by another connection
	}
	now := s.cfg.Clock.Now().Unix()
	event, _ := json.Marshal(map[string]any{
		"certificateId": entry.id, "caCertificateId": caID, "timestamp": now,
		"certificateStatus": StatusPendingActivation, "awsAccountId": s.cfg.Account,
		"certificateRegistrationTimestamp": now,
	})
	topic := "$aws/events/certificates/registered/" + caID
	if err := s.broker.Publish(topic, event, false, 1); err != nil {
		s.log.Warn("just-in-time registration event not published", "topic", topic, "error", err)
	}
	s.log.Info("certificate registered just in time", "cert", entry.id, "ca", caID)
}

func (s *Service) caPEM(id string) string {
	s.reg.mu.RLock()
	defer s.reg.mu.RUnlock()
	if ca, ok := s.reg.cas[id]; ok {
		return ca.pem
	}
	return ""
}

// certificateKnown reports whether a certificate is registered.
func (r *registry) certificateKnown(raw []byte) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.certs[pki.CertificateID(raw)]
	return ok
}
