package rolesanywhere

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// SessionInput is a CreateSession request whose signature the wire layer
// has verified with Leaf's key.
type SessionInput struct {
	Leaf                                *x509.Certificate
	Intermediates                       []*x509.Certificate
	TrustAnchorArn, ProfileArn, RoleArn string
	// DurationSeconds is nil for the profile's default.
	DurationSeconds *int
	RoleSessionName string
}

// Session is CreateSession's result.
type Session struct {
	Credentials
	RoleArn, AssumedRoleArn, AssumedRoleID string
	// SourceIdentity is the certificate's subject CN.
	SourceIdentity string
	SubjectArn     string
}

// CreateSession checks the request against the trust anchor, the profile
// and the role, and issues temporary credentials (docs/roles-anywhere.md §3).
func (s *Service) CreateSession(in SessionInput) (Session, error) {
	now := s.cfg.Clock.Now()
	s.mu.Lock()
	ta, taOK := s.anchors[in.TrustAnchorArn]
	p, pOK := s.profiles[in.ProfileArn]
	role, roleKnown := s.roles[in.RoleArn]
	s.mu.Unlock()
	if err := checkArns(in); err != nil {
		return Session{}, err
	}
	switch {
	case !taOK:
		return Session{}, svcerr.Newf(ErrNotFound, "Trust anchor %s not found", in.TrustAnchorArn)
	case !pOK:
		return Session{}, svcerr.Newf(ErrNotFound, "Profile %s not found", in.ProfileArn)
	case !ta.Enabled:
		return Session{}, accessDenied("Trust anchor %s is disabled", ta.Arn)
	case !p.Enabled:
		return Session{}, accessDenied("Profile %s is disabled", p.Arn)
	}
	if err := verifyChain(in, ta, now); err != nil {
		return Session{}, err
	}
	if !slices.Contains(p.RoleArns, in.RoleArn) {
		return Session{}, accessDenied("Role %s is not in profile %s", in.RoleArn, p.Arn)
	}
	if roleKnown && !role.TrustsRolesAnywhere {
		return Session{}, accessDenied("Role %s does not trust rolesanywhere.amazonaws.com (sts:AssumeRole)", in.RoleArn)
	}
	duration, err := sessionDuration(in.DurationSeconds, p)
	if err != nil {
		return Session{}, err
	}
	if in.RoleSessionName != "" && !p.AcceptRoleSessionName {
		return Session{}, accessDenied("Profile %s does not accept a role session name", p.Arn)
	}
	return s.issue(in, now, duration)
}

func checkArns(in SessionInput) error {
	for _, c := range []struct{ v, name, service, typ string }{
		{in.TrustAnchorArn, "trustAnchorArn", "rolesanywhere", "trust-anchor"},
		{in.ProfileArn, "profileArn", "rolesanywhere", "profile"},
		{in.RoleArn, "roleArn", "iam", "role"},
	} {
		if c.v == "" {
			return svcerr.Newf(ErrValidation, "%s is required", c.name)
		}
		if _, ok := arn.ParseResource(c.v, c.service, c.typ); !ok {
			return svcerr.Newf(ErrValidation, "%s %q is not a valid %s ARN", c.name, c.v, c.typ)
		}
	}
	return nil
}

// verifyChain checks that the leaf chains to the anchor, through the
// request's intermediates, and that every certificate is valid on the
// emulator's clock.
func verifyChain(in SessionInput, ta TrustAnchor, now time.Time) error {
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for _, c := range ta.Certificates {
		roots.AddCert(c)
	}
	for _, c := range in.Intermediates {
		inter.AddCert(c)
	}
	_, err := in.Leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err == nil {
		return nil
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		return accessDenied("Untrusted certificate. Certificate is expired or not yet valid: %v", err)
	}
	return accessDenied("Untrusted certificate. Insufficient certificate: %v", err)
}

func sessionDuration(asked *int, p Profile) (time.Duration, error) {
	d := p.DurationSeconds
	if asked != nil {
		d = *asked
	}
	if d < MinDuration || d > MaxDuration {
		return 0, svcerr.Newf(ErrValidation, "durationSeconds %d must be between %d and %d", d, MinDuration, MaxDuration)
	}
	return time.Duration(d) * time.Second, nil
}

// subjectID is the subject's id: derived from the certificate's issuer
// and serial, so one certificate is one subject.
func subjectID(c *x509.Certificate) string {
	sum := sha256.Sum256(append(append([]byte{}, c.RawIssuer...), c.SerialNumber.Bytes()...))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
