package iotemu

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// CertificateInfo describes a registered certificate.
type CertificateInfo struct {
	ID, ARN, PEM, CAPEM, Status string
	Created, Modified           time.Time
	NotBefore, NotAfter         time.Time
	Policies                    []string
}

func (c *certificate) info() CertificateInfo {
	return CertificateInfo{ID: c.id, ARN: c.arn, PEM: c.pem, CAPEM: c.caPEM, Status: c.status,
		Created: c.created, Modified: c.modified, NotBefore: c.notBefore, NotAfter: c.notAfter,
		Policies: append([]string(nil), c.policies...)}
}

func parseCertPEM(what, s string) (*x509.Certificate, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: %s is not a PEM certificate", ErrCertificateValidation, what)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCertificateValidation, what, err)
	}
	return c, nil
}

// newCertificate builds the registry entry of a parsed certificate.
func (s *Service) newCertificate(c *x509.Certificate, certPEM, caPEM, status string) *certificate {
	id := pki.CertificateID(c.Raw)
	now := s.cfg.Clock.Now()
	return &certificate{
		id: id, arn: s.arn("cert/" + id), pem: certPEM, caPEM: caPEM,
		commonName: c.Subject.CommonName, status: status, created: now, modified: now,
		notBefore: c.NotBefore, notAfter: c.NotAfter, vars: certificateVars(c, id),
	}
}

// RegisterCertificate registers a certificate the user made: signed by
// their own CA (caPEM, optional, is checked to have signed it) or
// self-signed (RegisterCertificate, RegisterCertificateWithoutCA). status
// defaults to INACTIVE as in IoT Core.
func (s *Service) RegisterCertificate(certPEM, caPEM, status string) (CertificateInfo, error) {
	if status == "" {
		status = StatusInactive
	}
	switch status {
	case StatusActive, StatusInactive, StatusRevoked:
	default:
		return CertificateInfo{}, fmt.Errorf("register certificate: %w: status %q", ErrInvalidRequest, status)
	}
	c, err := parseCertPEM("certificatePem", certPEM)
	if err != nil {
		return CertificateInfo{}, fmt.Errorf("register certificate: %w", err)
	}
	if caPEM != "" {
		ca, err := parseCertPEM("caCertificatePem", caPEM)
		if err != nil {
			return CertificateInfo{}, fmt.Errorf("register certificate: %w", err)
		}
		if err := c.CheckSignatureFrom(ca); err != nil {
			return CertificateInfo{}, fmt.Errorf("register certificate: %w: not signed by the given CA: %v", ErrCertificateValidation, err)
		}
		if err := s.reg.registeredCA(ca); err != nil {
			return CertificateInfo{}, fmt.Errorf("register certificate: %w", err)
		}
	}
	if err := validityError(c.NotBefore, c.NotAfter, s.cfg.Clock.Now()); err != nil {
		return CertificateInfo{}, fmt.Errorf("register certificate: %w: certificatePem %v", ErrCertificateValidation, err)
	}
	entry := s.newCertificate(c, certPEM, caPEM, status)
	if err := s.reg.addCertificate(entry); err != nil {
		return CertificateInfo{}, err
	}
	return entry.info(), nil
}

// addCertificate registers an issued certificate.
func (r *registry) addCertificate(c *certificate) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.certs[c.id]; ok {
		return fmt.Errorf("register certificate %s: %w", c.id, ErrAlreadyExists)
	}
	r.certs[c.id] = c
	r.gen.Add(1)
	return nil
}

// certificateUsable reports whether a certificate may connect: registered,
// ACTIVE and within its validity period.
func (r *registry) certificateUsable(id string, now time.Time) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.certs[id]
	switch {
	case !ok:
		return fmt.Errorf("iotemu: certificate %s is not registered", id)
	case c.status != StatusActive:
		return fmt.Errorf("iotemu: certificate %s is %s", id, c.status)
	}
	if err := validityError(c.notBefore, c.notAfter, now); err != nil {
		return fmt.Errorf("iotemu: certificate %s %w", id, err)
	}
	return nil
}

// errCertificateExpired marks a certificate past its NotAfter on the
// service clock. Unlike the package's other sentinels it carries no
// "iotemu:" prefix: it is the predicate of a sentence its callers begin
// ("iotemu: certificate <id> has expired (NotAfter ...)").
var errCertificateExpired = errors.New("has expired")

// validityError checks a certificate's validity period. Expiry is measured
// on the service clock (now), so that tests can expire certificates on
// virtual time. NotBefore is still measured on the wall clock: the
// emulator's CA (pki.IssueClient) stamps NotBefore from the wall clock, and
// a virtual clock that starts in the past would otherwise refuse every
// certificate CreateKeysAndCertificate issues.
func validityError(notBefore, notAfter, now time.Time) error {
	if now.After(notAfter) {
		return fmt.Errorf("%w (NotAfter %s)", errCertificateExpired, notAfter.UTC().Format(time.RFC3339))
	}
	if time.Now().Before(notBefore) {
		return fmt.Errorf("is not yet valid (NotBefore %s)", notBefore.UTC().Format(time.RFC3339))
	}
	return nil
}

// setCertificateStatus changes a certificate's status (UpdateCertificate).
func (r *registry) setCertificateStatus(id, status string, now time.Time) error {
	switch status {
	case StatusActive, StatusInactive, StatusRevoked:
	case "PENDING_TRANSFER", "PENDING_ACTIVATION", "REGISTER_INACTIVE":
		return fmt.Errorf("update certificate %s: %w: status %s cannot be set", id, ErrCertificateState, status)
	default:
		return fmt.Errorf("update certificate %s: %w: status %q cannot be set", id, ErrInvalidRequest, status)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.certs[id]
	if !ok {
		return fmt.Errorf("update certificate %s: %w", id, ErrNotFound)
	}
	if c.status == StatusRevoked && status != StatusRevoked {
		return fmt.Errorf("update certificate %s: %w: a revoked certificate stays revoked", id, ErrCertificateState)
	}
	c.status, c.modified = status, now
	r.gen.Add(1)
	return nil
}

// DescribeCertificate returns one certificate.
func (s *Service) DescribeCertificate(id string) (CertificateInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.certs[id]
	if !ok {
		return CertificateInfo{}, fmt.Errorf("describe certificate %s: %w", id, ErrNotFound)
	}
	return c.info(), nil
}

// ListCertificates lists certificates by creation date.
func (s *Service) ListCertificates(marker string, pageSize int, ascending bool) ([]CertificateInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	all := make([]CertificateInfo, 0, len(r.certs))
	for _, c := range r.certs {
		all = append(all, c.info())
	}
	r.mu.RUnlock()
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if !a.Created.Equal(b.Created) {
			return a.Created.Before(b.Created) == ascending
		}
		return a.ID < b.ID
	})
	return page(all, marker, pageSize)
}

// DeleteCertificate deletes a certificate that is not ACTIVE and attached
// to no thing; attached policies block it unless force (docs/iot-core.md §2.2).
func (s *Service) DeleteCertificate(id string, force bool) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.certs[id]
	if !ok {
		return fmt.Errorf("delete certificate %s: %w", id, ErrNotFound)
	}
	if c.status == StatusActive {
		return fmt.Errorf("delete certificate %s: %w: an ACTIVE certificate cannot be deleted", id, ErrCertificateState)
	}
	for _, th := range r.things {
		if th.principals[c.arn] {
			return fmt.Errorf("delete certificate %s: %w: attached to thing %s", id, ErrDeleteConflict, th.name)
		}
	}
	if len(c.policies) > 0 && !force {
		return fmt.Errorf("delete certificate %s: %w: policies are attached", id, ErrDeleteConflict)
	}
	delete(r.certs, id)
	r.gen.Add(1)
	return nil
}
