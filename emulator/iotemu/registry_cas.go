package iotemu

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// maxCACertificates bounds the registered CA certificates (a bound of
// stepwire's; docs/iot-core.md §8.3).
const maxCACertificates = 100

// CA certificate modes and auto-registration statuses.
const (
	CAModeDefault  = "DEFAULT"
	CAModeSNIOnly  = "SNI_ONLY"
	AutoRegEnable  = "ENABLE"
	AutoRegDisable = "DISABLE"
	// StatusPendingActivation is the status of a certificate registered
	// just in time: it cannot connect until it is made ACTIVE.
	StatusPendingActivation = "PENDING_ACTIVATION"
)

// caCertificate is a registered CA. cert is parsed from pem and need not
// be persisted.
type caCertificate struct {
	id, arn, pem string
	status       string // ACTIVE or INACTIVE
	autoReg      string // ENABLE or DISABLE
	mode         string
	created      time.Time
	modified     time.Time
	notBefore    time.Time
	notAfter     time.Time
	cert         *x509.Certificate
}

// CACertificateInfo describes a registered CA certificate.
type CACertificateInfo struct {
	ID, ARN, PEM, Status, AutoRegistration, Mode string
	Created, Modified, NotBefore, NotAfter       time.Time
}

func (c *caCertificate) info() CACertificateInfo {
	return CACertificateInfo{ID: c.id, ARN: c.arn, PEM: c.pem, Status: c.status, AutoRegistration: c.autoReg,
		Mode: c.mode, Created: c.created, Modified: c.modified, NotBefore: c.notBefore, NotAfter: c.notAfter}
}

// RegisterCAInput is RegisterCACertificate's input.
type RegisterCAInput struct {
	CACertificatePEM, VerificationCertificatePEM string
	Mode                                         string // DEFAULT (the default) or SNI_ONLY
	SetAsActive, AllowAutoRegistration           bool
}

// RegistrationCode is the account's code that a DEFAULT-mode CA's
// verification certificate must carry as its subject common name.
func (s *Service) RegistrationCode() string {
	sum := sha256.Sum256([]byte("stepwire registration code " + s.cfg.Account + " " + s.cfg.Region))
	return hex.EncodeToString(sum[:])
}

// RegisterCACertificate registers a CA whose device certificates can then
// be registered, or registered just in time on their first connection.
func (s *Service) RegisterCACertificate(in RegisterCAInput) (CACertificateInfo, error) {
	if in.Mode == "" {
		in.Mode = CAModeDefault
	}
	ca, err := s.checkCA(in)
	if err != nil {
		return CACertificateInfo{}, fmt.Errorf("register CA certificate: %w", err)
	}
	now := s.cfg.Clock.Now()
	id := pki.CertificateID(ca.Raw)
	c := &caCertificate{id: id, arn: s.arn("cacert/" + id), pem: in.CACertificatePEM, status: StatusInactive,
		autoReg: AutoRegDisable, mode: in.Mode, created: now, modified: now, notBefore: ca.NotBefore, notAfter: ca.NotAfter, cert: ca}
	if in.SetAsActive {
		c.status = StatusActive
	}
	if in.AllowAutoRegistration {
		c.autoReg = AutoRegEnable
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.cas[id]; ok {
		return CACertificateInfo{}, fmt.Errorf("register CA certificate %s: %w", id, ErrAlreadyExists)
	}
	if len(r.cas) >= maxCACertificates {
		return CACertificateInfo{}, fmt.Errorf("register CA certificate: %w: at most %d CA certificates", ErrLimitExceeded, maxCACertificates)
	}
	r.cas[id] = c
	return c.info(), nil
}

// checkCA parses the CA and, in DEFAULT mode, checks the verification
// certificate: signed by the CA, with the registration code as its CN.
func (s *Service) checkCA(in RegisterCAInput) (*x509.Certificate, error) {
	switch in.Mode {
	case CAModeDefault, CAModeSNIOnly:
	default:
		return nil, fmt.Errorf("%w: certificateMode %q", ErrInvalidRequest, in.Mode)
	}
	ca, err := parseCertPEM("caCertificate", in.CACertificatePEM)
	if err != nil {
		return nil, err
	}
	if !ca.IsCA {
		return nil, fmt.Errorf("%w: caCertificate is not a CA certificate (basic constraints CA:TRUE)", ErrCertificateValidation)
	}
	if in.Mode == CAModeSNIOnly {
		return ca, nil
	}
	if in.VerificationCertificatePEM == "" {
		return nil, fmt.Errorf("%w: verificationCertificate is required in DEFAULT mode", ErrInvalidRequest)
	}
	v, err := parseCertPEM("verificationCertificate", in.VerificationCertificatePEM)
	if err != nil {
		return nil, err
	}
	if v.CheckSignatureFrom(ca) != nil || v.Subject.CommonName != s.RegistrationCode() {
		return nil, fmt.Errorf("%w: the verification certificate must be signed by the CA and carry the registration code as its common name",
			ErrRegistrationCode)
	}
	return ca, nil
}

// DescribeCACertificate returns one registered CA.
func (s *Service) DescribeCACertificate(id string) (CACertificateInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.cas[id]
	if !ok {
		return CACertificateInfo{}, fmt.Errorf("describe CA certificate %s: %w", id, ErrNotFound)
	}
	return c.info(), nil
}

// ListCACertificates lists CAs by creation date.
func (s *Service) ListCACertificates(marker string, pageSize int, ascending bool) ([]CACertificateInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	all := make([]CACertificateInfo, 0, len(r.cas))
	for _, c := range r.cas {
		all = append(all, c.info())
	}
	r.mu.RUnlock()
	sort.Slice(all, func(i, j int) bool {
		if a, b := all[i], all[j]; !a.Created.Equal(b.Created) {
			return a.Created.Before(b.Created) == ascending
		}
		return all[i].ID < all[j].ID
	})
	return page(all, marker, pageSize)
}

// UpdateCACertificate changes a CA's status and auto-registration; an
// empty value leaves that one alone.
func (s *Service) UpdateCACertificate(id, status, autoReg string) error {
	if status != "" && status != StatusActive && status != StatusInactive {
		return fmt.Errorf("update CA certificate %s: %w: newStatus %q", id, ErrInvalidRequest, status)
	}
	if autoReg != "" && autoReg != AutoRegEnable && autoReg != AutoRegDisable {
		return fmt.Errorf("update CA certificate %s: %w: newAutoRegistrationStatus %q", id, ErrInvalidRequest, autoReg)
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.cas[id]
	if !ok {
		return fmt.Errorf("update CA certificate %s: %w", id, ErrNotFound)
	}
	if status != "" {
		c.status = status
	}
	if autoReg != "" {
		c.autoReg = autoReg
	}
	c.modified = s.cfg.Clock.Now()
	return nil
}

// DeleteCACertificate deletes an INACTIVE CA.
func (s *Service) DeleteCACertificate(id string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.cas[id]
	if !ok {
		return fmt.Errorf("delete CA certificate %s: %w", id, ErrNotFound)
	}
	if c.status == StatusActive {
		return fmt.Errorf("delete CA certificate %s: %w: deactivate the CA first", id, ErrCertificateState)
	}
	delete(r.cas, id)
	return nil
}

// registeredCA checks, for RegisterCertificate, that the CA a device
// certificate names is registered and ACTIVE.
func (r *registry) registeredCA(ca *x509.Certificate) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.cas[pki.CertificateID(ca.Raw)]
	switch {
	case !ok:
		return fmt.Errorf("%w: the CA certificate is not registered", ErrCertificateValidation)
	case c.status != StatusActive:
		return fmt.Errorf("%w: the CA certificate is %s", ErrCertificateState, c.status)
	}
	return nil
}

// autoRegistrar finds the ACTIVE CA with auto-registration enabled that
// signed an unknown client certificate, if any.
func (r *registry) autoRegistrar(c *x509.Certificate) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for id, ca := range r.cas {
		if ca.status == StatusActive && ca.autoReg == AutoRegEnable && c.CheckSignatureFrom(ca.cert) == nil {
			return id, true
		}
	}
	return "", false
}
