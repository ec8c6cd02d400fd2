package iotemu

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
	"github.com/stepwire/stepwire/internal/arn"
)

// Sentinel errors of the registry; the HTTP layer maps them to AWS codes.
var (
	ErrNotFound              = errors.New("iotemu: resource not found")
	ErrAlreadyExists         = errors.New("iotemu: resource already exists")
	ErrInvalidRequest        = errors.New("iotemu: invalid request")
	ErrMalformedPolicy       = errors.New("iotemu: malformed policy")
	ErrSQLParse              = errors.New("iotemu: sql parse error")
	ErrCertificateState      = errors.New("iotemu: certificate state does not allow the operation")
	ErrCertificateValidation = errors.New("iotemu: certificate is not valid")
	ErrDeleteConflict        = errors.New("iotemu: resource is still in use")
	ErrLimitExceeded         = errors.New("iotemu: limit exceeded")
	// ErrVersionsLimitExceeded: the policy already has maxPolicyVersions.
	ErrVersionsLimitExceeded = errors.New("iotemu: policy versions limit exceeded")
	// ErrVersionConflict: an expectedVersion that is not the resource's.
	ErrVersionConflict = errors.New("iotemu: version conflict")
	// ErrRegistrationCode: a CA's verification certificate does not prove
	// the account's registration code.
	ErrRegistrationCode = errors.New("iotemu: registration code validation failed")
)

// Certificate statuses (docs/iot-core.md §2.2).
const (
	StatusActive   = "ACTIVE"
	StatusInactive = "INACTIVE"
	StatusRevoked  = "REVOKED"
)

// maxPoliciesPerTarget is IoT Core's limit of policies on one principal.
const maxPoliciesPerTarget = 10

type certificate struct {
	id, arn, pem string
	caPEM        string
	commonName   string
	status       string
	created      time.Time
	modified     time.Time
	notBefore    time.Time
	notAfter     time.Time
	policies     []string
	// vars are the certificate policy variables (docs/iot-core.md §1.6).
	vars map[string]string
}

type thing struct {
	name, arn, id string
	attributes    map[string]string
	principals    map[string]bool // certificate ARNs
	version       int64
}

// storedPolicy is a policy with its versions (docs/iot-core.md §8.2). doc
// and compiled are the default version's, the one that is operative.
type storedPolicy struct {
	name, arn, doc string
	compiled       *policy.Policy
	created        time.Time
	modified       time.Time
	defaultID      string
	versions       []policyVersion // oldest first, at most maxPolicyVersions
	nextVersion    int
}

// registry holds certificates, things, policies and rules. gen changes on
// every mutation that can change an authorization answer, so connections
// know when to drop cached decisions.
type registry struct {
	mu       sync.RWMutex
	certs    map[string]*certificate // by id
	things   map[string]*thing
	policies map[string]*storedPolicy
	rules    map[string]*storedRule
	groups   map[string]*thingGroup    // at most maxThingGroups
	cas      map[string]*caCertificate // by id, at most maxCACertificates
	gen      atomic.Uint64
	// ruleSet is a snapshot of the enabled rules for the publish path.
	ruleSet atomic.Pointer[[]*storedRule]
}

func newRegistry() *registry {
	r := &registry{
		certs:    map[string]*certificate{},
		things:   map[string]*thing{},
		policies: map[string]*storedPolicy{},
		rules:    map[string]*storedRule{},
		groups:   map[string]*thingGroup{},
		cas:      map[string]*caCertificate{},
	}
	r.ruleSet.Store(&[]*storedRule{})
	return r
}

var (
	thingNameRE  = regexp.MustCompile(`^[a-zA-Z0-9:_-]{1,128}$`)
	policyNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	ruleNameRE   = regexp.MustCompile(`^[a-zA-Z0-9_]{1,128}$`)
)

func (s *Service) arn(resource string) string {
	return arn.IoT(s.cfg.Region, s.cfg.Account, resource)
}

// certIDFromARN accepts a certificate ARN or a bare certificate id.
func certIDFromARN(principal string) string {
	if a, ok := arn.ParseResource(principal, "iot", "cert"); ok {
		return a.Fields[0]
	}
	return principal
}

// page cuts a sorted listing at marker (an offset, as AWS markers are
// opaque) and returns the next marker, empty on the last page.
func page[T any](all []T, marker string, size int) ([]T, string, error) {
	start := 0
	if marker != "" {
		n, err := strconv.Atoi(marker)
		if err != nil || n < 0 || n > len(all) {
			return nil, "", fmt.Errorf("%w: bad marker %q", ErrInvalidRequest, marker)
		}
		start = n
	}
	if size <= 0 || size > 250 {
		size = 250
	}
	end := min(start+size, len(all))
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return all[start:end], next, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
