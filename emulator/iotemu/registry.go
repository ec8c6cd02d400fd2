package iotemu

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
	"github.com/stepwire/stepwire/emulator/iotemu/rules"
)

// Sentinel errors of the registry; the HTTP layer maps them to AWS codes.
var (
	ErrNotFound         = errors.New("iotemu: resource not found")
	ErrAlreadyExists    = errors.New("iotemu: resource already exists")
	ErrInvalidRequest   = errors.New("iotemu: invalid request")
	ErrMalformedPolicy  = errors.New("iotemu: malformed policy")
	ErrSQLParse         = errors.New("iotemu: sql parse error")
	ErrCertificateState = errors.New("iotemu: certificate state does not allow the operation")
)

// Certificate statuses (reference §2.2).
const (
	StatusActive   = "ACTIVE"
	StatusInactive = "INACTIVE"
	StatusRevoked  = "REVOKED"
)

type certificate struct {
	id, arn, pem string
	commonName   string
	status       string
	created      time.Time
	policies     []string
}

type thing struct {
	name, arn, id string
	attributes    map[string]string
	principals    map[string]bool // certificate ARNs
	version       int64
}

type storedPolicy struct {
	name, arn, doc string
	compiled       *policy.Policy
	created        time.Time
}

// TopicRule is a topic rule: a SQL statement and the actions it runs.
type TopicRule struct {
	SQL              string
	AWSIotSQLVersion string
	Disabled         bool
	Actions          []Action
}

// Action is a rule action. Only the Lambda action is supported.
type Action struct {
	LambdaFunctionArn string
}

type storedRule struct {
	name  string
	rule  TopicRule
	query *rules.Query
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
	return fmt.Sprintf("arn:aws:iot:%s:%s:%s", s.cfg.Region, s.cfg.Account, resource)
}

// certIDFromARN accepts a certificate ARN or a bare certificate id.
func certIDFromARN(principal string) string {
	if i := strings.LastIndex(principal, ":cert/"); i >= 0 {
		return principal[i+len(":cert/"):]
	}
	return principal
}

// CreatePolicy stores a policy document after checking it parses.
func (s *Service) CreatePolicy(name, document string) error {
	if !policyNameRE.MatchString(name) {
		return fmt.Errorf("create policy %q: %w: bad policy name", name, ErrInvalidRequest)
	}
	p, err := policy.Parse(document)
	if err != nil {
		return fmt.Errorf("create policy %q: %w: %v", name, ErrMalformedPolicy, err)
	}
	p.Name = name
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.policies[name]; ok {
		return fmt.Errorf("create policy %q: %w", name, ErrAlreadyExists)
	}
	r.policies[name] = &storedPolicy{name: name, arn: s.arn("policy/" + name), doc: document, compiled: p, created: s.cfg.Clock.Now()}
	r.gen.Add(1)
	return nil
}

// CreateThing registers a thing with attributes.
func (s *Service) CreateThing(name string, attributes map[string]string) error {
	if !thingNameRE.MatchString(name) {
		return fmt.Errorf("create thing %q: %w: thing names match [a-zA-Z0-9:_-]{1,128}", name, ErrInvalidRequest)
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.things[name]; ok {
		return fmt.Errorf("create thing %q: %w", name, ErrAlreadyExists)
	}
	attrs := make(map[string]string, len(attributes))
	for k, v := range attributes {
		attrs[k] = v
	}
	r.things[name] = &thing{name: name, arn: s.arn("thing/" + name), id: newID(), attributes: attrs, principals: map[string]bool{}, version: 1}
	r.gen.Add(1)
	return nil
}

// AttachPolicy attaches a policy to a certificate (by ARN or id).
func (s *Service) AttachPolicy(policyName, target string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.policies[policyName]; !ok {
		return fmt.Errorf("attach policy %q: %w: no such policy", policyName, ErrNotFound)
	}
	c, ok := r.certs[certIDFromARN(target)]
	if !ok {
		return fmt.Errorf("attach policy %q to %q: %w: no such certificate", policyName, target, ErrNotFound)
	}
	for _, p := range c.policies {
		if p == policyName {
			return nil
		}
	}
	if len(c.policies) >= 10 {
		return fmt.Errorf("attach policy %q: %w: a certificate holds at most 10 policies", policyName, ErrInvalidRequest)
	}
	c.policies = append(c.policies, policyName)
	r.gen.Add(1)
	return nil
}

// AttachThingPrincipal attaches a certificate (by ARN or id) to a thing.
func (s *Service) AttachThingPrincipal(thingName, principal string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	th, ok := r.things[thingName]
	if !ok {
		return fmt.Errorf("attach thing principal: thing %q: %w", thingName, ErrNotFound)
	}
	c, ok := r.certs[certIDFromARN(principal)]
	if !ok {
		return fmt.Errorf("attach thing principal: certificate %q: %w", principal, ErrNotFound)
	}
	th.principals[c.arn] = true
	r.gen.Add(1)
	return nil
}

// CreateTopicRule validates the SQL and stores the rule.
func (s *Service) CreateTopicRule(name string, rule TopicRule) error {
	if !ruleNameRE.MatchString(name) {
		return fmt.Errorf("create topic rule %q: %w: rule names match [a-zA-Z0-9_]{1,128}", name, ErrInvalidRequest)
	}
	q, err := rules.Parse(rule.SQL)
	if err != nil {
		return fmt.Errorf("create topic rule %q: %w: %v", name, ErrSQLParse, err)
	}
	for _, a := range rule.Actions {
		if a.LambdaFunctionArn == "" {
			return fmt.Errorf("create topic rule %q: %w: only lambda actions are supported", name, ErrInvalidRequest)
		}
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.rules[name]; ok {
		return fmt.Errorf("create topic rule %q: %w", name, ErrAlreadyExists)
	}
	r.rules[name] = &storedRule{name: name, rule: rule, query: q}
	r.publishRulesLocked()
	return nil
}

func (r *registry) publishRulesLocked() {
	set := make([]*storedRule, 0, len(r.rules))
	for _, sr := range r.rules {
		if !sr.rule.Disabled {
			set = append(set, sr)
		}
	}
	r.ruleSet.Store(&set)
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

// certificateStatus returns the status of a registered certificate.
func (r *registry) certificateStatus(id string) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.certs[id]
	if !ok {
		return "", false
	}
	return c.status, true
}

// setCertificateStatus changes a certificate's status (UpdateCertificate).
func (r *registry) setCertificateStatus(id, status string) error {
	switch status {
	case StatusActive, StatusInactive, StatusRevoked:
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
	c.status = status
	r.gen.Add(1)
	return nil
}
