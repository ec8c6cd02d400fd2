package iotemu

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// Authorization decisions of TestAuthorization (docs/iot-core.md §1.5).
const (
	DecisionAllowed      = "ALLOWED"
	DecisionExplicitDeny = "EXPLICIT_DENY"
	DecisionImplicitDeny = "IMPLICIT_DENY"
)

// AuthInfo is one question of TestAuthorization: an action type (CONNECT,
// PUBLISH, SUBSCRIBE, RECEIVE) on resources, full ARNs or the part after
// the account ("topic/a/b").
type AuthInfo struct {
	ActionType string
	Resources  []string
}

// AuthResult answers one AuthInfo. Allowed lists the policies whose Allow
// matched, ExplicitDeny those whose Deny matched, ImplicitDeny the
// policies evaluated when none denied and some resource was not allowed.
type AuthResult struct {
	AuthInfo                            AuthInfo
	Decision                            string
	Allowed, ExplicitDeny, ImplicitDeny []string // policy names
}

// TestAuthorizationInput mirrors the API's input; Principal is a
// certificate ARN or id.
type TestAuthorizationInput struct {
	Principal         string
	ClientID          string
	AuthInfos         []AuthInfo
	PolicyNamesToAdd  []string
	PolicyNamesToSkip []string
}

var authActions = map[string]string{
	"CONNECT": actConnect, "PUBLISH": actPublish, "SUBSCRIBE": actSubscribe, "RECEIVE": actReceive,
}

// TestAuthorization evaluates the certificate's policies (plus
// PolicyNamesToAdd, minus PolicyNamesToSkip) the way the broker does for a
// connection with ClientID, whose thing variables resolve when ClientID
// names a thing attached to the certificate (docs/iot-core.md §1.5, §1.6). A
// resource counts as allowed only if every resource of its AuthInfo is.
func (s *Service) TestAuthorization(in TestAuthorizationInput) ([]AuthResult, error) {
	certID := certIDFromARN(in.Principal)
	p := &principal{certID: certID, clientID: in.ClientID, conn: map[string]string{}}
	p.mu.Lock()
	p.refreshLocked(s.reg)
	vars, attached := p.vars, p.policies
	p.mu.Unlock()
	if in.ClientID == "" {
		delete(vars, "iot:ClientId") // unresolved, not empty
	}

	s.reg.mu.RLock()
	_, known := s.reg.certs[certID]
	skip := map[string]bool{}
	for _, n := range in.PolicyNamesToSkip {
		skip[n] = true
	}
	var policies []*policy.Policy
	for _, pol := range attached {
		if !skip[pol.Name] {
			policies = append(policies, pol)
			skip[pol.Name] = true // added once
		}
	}
	var missing string
	for _, n := range in.PolicyNamesToAdd {
		sp, ok := s.reg.policies[n]
		if !ok {
			missing = n
			break
		}
		if !skip[n] {
			policies = append(policies, sp.compiled)
			skip[n] = true
		}
	}
	s.reg.mu.RUnlock()
	switch {
	case in.Principal == "":
		return nil, fmt.Errorf("test authorization: %w: principal is required", ErrInvalidRequest)
	case !known:
		return nil, fmt.Errorf("test authorization: %w: no certificate %q", ErrNotFound, in.Principal)
	case missing != "":
		return nil, fmt.Errorf("test authorization: %w: no policy %q", ErrNotFound, missing)
	}

	results := make([]AuthResult, 0, len(in.AuthInfos))
	for _, ai := range in.AuthInfos {
		action, ok := authActions[ai.ActionType]
		if !ok {
			return nil, fmt.Errorf("test authorization: %w: unknown actionType %q", ErrInvalidRequest, ai.ActionType)
		}
		results = append(results, s.decideAuthInfo(ai, action, policies, vars))
	}
	return results, nil
}

// decideAuthInfo answers one AuthInfo from the principal's policies.
func (s *Service) decideAuthInfo(ai AuthInfo, action string, policies []*policy.Policy, vars map[string]string) AuthResult {
	allowed, denied := map[string]bool{}, map[string]bool{}
	allAllowed := len(ai.Resources) > 0
	for _, res := range ai.Resources {
		if !strings.HasPrefix(res, "arn:") {
			res = s.arn(res)
		}
		req := policy.Request{Action: action, Resource: res, Context: vars}
		resAllowed := false
		for _, pol := range policies {
			d := policy.Evaluate([]*policy.Policy{pol}, req)
			switch {
			case d.ExplicitDeny:
				denied[pol.Name] = true
			case d.Allowed:
				allowed[pol.Name] = true
				resAllowed = true
			}
		}
		allAllowed = allAllowed && resAllowed
	}
	r := AuthResult{AuthInfo: ai}
	switch {
	case len(denied) > 0:
		r.Decision, r.ExplicitDeny = DecisionExplicitDeny, names(policies, denied)
	case allAllowed:
		r.Decision, r.Allowed = DecisionAllowed, names(policies, allowed)
	default:
		r.Decision = DecisionImplicitDeny
		for _, pol := range policies {
			r.ImplicitDeny = append(r.ImplicitDeny, pol.Name)
		}
	}
	return r
}

// names lists the names in set, in the order of policies.
func names(policies []*policy.Policy, set map[string]bool) []string {
	var out []string
	for _, pol := range policies {
		if set[pol.Name] {
			out = append(out, pol.Name)
		}
	}
	return out
}
