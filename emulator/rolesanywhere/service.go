// Package rolesanywhere is the emulator's IAM Roles Anywhere: trust
// anchors (certificate bundles, or the emulator's own CA), profiles and
// the roles they may assume, and CreateSession, which exchanges a
// certificate that chains to an enabled trust anchor for temporary
// credentials. The SigV4 verifier then accepts those credentials until
// they expire (Lookup). The request's X.509 signature is checked by the
// wire layer (rolesanywhereapi); this package checks the rest
// (docs/roles-anywhere.md §3).
package rolesanywhere

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// The service's error kinds; the wire layer maps them to AWS's codes.
var (
	// ErrAccessDenied: AccessDeniedException, HTTP 403.
	ErrAccessDenied = errors.New("access denied")
	// ErrNotFound: ResourceNotFoundException, HTTP 404.
	ErrNotFound = errors.New("resource not found")
	// ErrValidation: ValidationException, HTTP 400.
	ErrValidation = errors.New("validation failed")
	// ErrTooManySessions: the bound on live sessions is reached.
	ErrTooManySessions = errors.New("too many sessions")
)

// Session lengths (docs/roles-anywhere.md §3.4).
const (
	MinDuration     = 900
	MaxDuration     = 43200
	DefaultDuration = 3600
)

// DefaultMaxSessions bounds the live (unexpired) sessions.
const DefaultMaxSessions = 10_000

// Config configures a Service.
type Config struct {
	Region, Account string
	// Clock is the clock certificates and sessions are checked against.
	Clock clock.Clock
	// MaxSessions bounds the live sessions (DefaultMaxSessions when 0).
	MaxSessions int
	Logger      *slog.Logger
}

// TrustAnchor is a CA whose certificates may create sessions.
type TrustAnchor struct {
	Arn, Name string
	Enabled   bool
	// Certificates are the anchor's CA certificates.
	Certificates []*x509.Certificate
}

// Profile names the roles a session may assume.
type Profile struct {
	Arn, Name string
	Enabled   bool
	RoleArns  []string
	// DurationSeconds is the default session length (DefaultDuration when 0).
	DurationSeconds int
	// AcceptRoleSessionName lets a request name its session.
	AcceptRoleSessionName bool
}

// Role is an IAM role a profile may name.
type Role struct {
	Arn string
	// TrustsRolesAnywhere is whether its trust policy lets
	// rolesanywhere.amazonaws.com assume it.
	TrustsRolesAnywhere bool
}

// Service is the emulated Roles Anywhere.
type Service struct {
	cfg Config

	mu       sync.Mutex
	anchors  map[string]TrustAnchor
	profiles map[string]Profile
	roles    map[string]Role
	sessions sessionStore
}

// New returns an empty service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Region, cfg.Account = arn.Or(cfg.Region, cfg.Account)
	return &Service{cfg: cfg, anchors: map[string]TrustAnchor{}, profiles: map[string]Profile{},
		roles: map[string]Role{}, sessions: newSessionStore(cfg.MaxSessions)}
}

// Region is the service's region.
func (s *Service) Region() string { return s.cfg.Region }

// Now is the service clock's time.
func (s *Service) Now() time.Time { return s.cfg.Clock.Now() }

// PutTrustAnchor adds or replaces a trust anchor.
func (s *Service) PutTrustAnchor(ta TrustAnchor) error {
	if len(ta.Certificates) == 0 {
		return fmt.Errorf("trust anchor %s: no certificate", ta.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.anchors[ta.Arn] = ta
	s.cfg.Logger.Info("roles anywhere trust anchor", "name", ta.Name, "arn", ta.Arn, "enabled", ta.Enabled)
	return nil
}

// PutProfile adds or replaces a profile.
func (s *Service) PutProfile(p Profile) error {
	if p.DurationSeconds == 0 {
		p.DurationSeconds = DefaultDuration
	}
	if p.DurationSeconds < MinDuration || p.DurationSeconds > MaxDuration {
		return fmt.Errorf("profile %s: DurationSeconds %d is outside %d-%d", p.Name, p.DurationSeconds, MinDuration, MaxDuration)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[p.Arn] = p
	s.cfg.Logger.Info("roles anywhere profile", "name", p.Name, "arn", p.Arn, "enabled", p.Enabled, "roles", p.RoleArns)
	return nil
}

// PutRole records a role and whether it trusts Roles Anywhere.
func (s *Service) PutRole(r Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[r.Arn] = r
}

// TrustAnchors and Profiles list the ARNs, for tests and tools.
func (s *Service) TrustAnchors() []TrustAnchor {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TrustAnchor, 0, len(s.anchors))
	for _, ta := range s.anchors {
		out = append(out, ta)
	}
	return out
}

// Profiles lists the profiles.
func (s *Service) Profiles() []Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Profile, 0, len(s.profiles))
	for _, p := range s.profiles {
		out = append(out, p)
	}
	return out
}

func accessDenied(format string, args ...any) error {
	return svcerr.Newf(ErrAccessDenied, format, args...)
}
