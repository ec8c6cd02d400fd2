// Package policy parses AWS IoT Core policy documents and evaluates them the
// way the IoT message broker does on every CONNECT, SUBSCRIBE, PUBLISH and
// delivery.
//
// The grammar is IAM's: Version, Statement (an object or an array), Effect,
// Action or NotAction, Resource or NotResource (each a string or an array)
// and Condition. Resource and Action patterns are IAM globs: `*` matches any
// run of characters including `/`, `?` exactly one character, and MQTT's `+`
// and `#` are plain characters. Policy variables (`${iot:ClientId}`,
// `${iot:Connection.Thing.ThingName}`, ...) are substituted from the request
// context when the document's Version is 2012-10-17; a variable the context
// cannot resolve makes its pattern match nothing. An explicit Deny beats any
// Allow; with no matching statement the answer is an implicit deny.
//
// The package is pure: it reads no clock, files or network, and policies are
// compiled once by Parse so evaluation does no parsing.
package policy

import "fmt"

// Version2012 is the policy language version that enables variables.
const Version2012 = "2012-10-17"

// MaxDocumentSize is the largest document AWS IoT accepts, counted in
// characters other than whitespace.
const MaxDocumentSize = 2048

// Policy is a parsed, compiled policy document.
type Policy struct {
	// Name labels the policy in decisions; Parse leaves it empty.
	Name string
	// Version is the document's Version element.
	Version    string
	statements []statement
}

// Request is one authorization question.
type Request struct {
	// Action is the IoT action, e.g. "iot:Publish".
	Action string
	// Resource is the resource ARN, e.g.
	// "arn:aws:iot:us-east-1:123456789012:topic/tenant1/to/lambda".
	Resource string
	// Context holds policy-variable and condition-key values by name
	// without the `${}` wrapper, e.g. "iot:ClientId" or
	// "iot:Connection.Thing.IsAttached". A missing name is unresolved.
	Context map[string]string
}

// Decision is the outcome of Evaluate.
type Decision struct {
	// Allowed is true when an Allow matched and no Deny did.
	Allowed bool
	// ExplicitDeny is true when a Deny statement matched.
	ExplicitDeny bool
	// Statement names the statement that decided, as "<policy>/<sid>" or
	// "<policy>/#<index>"; empty for an implicit deny.
	Statement string
}

func (d Decision) String() string {
	switch {
	case d.Allowed:
		return "ALLOWED by " + d.Statement
	case d.ExplicitDeny:
		return "EXPLICIT_DENY by " + d.Statement
	default:
		return "IMPLICIT_DENY"
	}
}

// statement is one compiled Statement element.
type statement struct {
	label       string
	deny        bool
	actions     []pattern
	notAction   bool
	resources   []pattern
	notResource bool
	conditions  []condition
}

// Evaluate answers req against the union of policies: any matching Deny
// wins, else any matching Allow allows, else the request is implicitly
// denied.
func Evaluate(policies []*Policy, req Request) Decision {
	var allow *statement
	var allowPolicy string
	for _, p := range policies {
		if p == nil {
			continue
		}
		for i := range p.statements {
			st := &p.statements[i]
			if !st.matches(req) {
				continue
			}
			if st.deny {
				return Decision{ExplicitDeny: true, Statement: label(p.Name, st.label)}
			}
			if allow == nil {
				allow, allowPolicy = st, p.Name
			}
		}
	}
	if allow != nil {
		return Decision{Allowed: true, Statement: label(allowPolicy, allow.label)}
	}
	return Decision{}
}

func label(policy, st string) string {
	if policy == "" {
		return st
	}
	return fmt.Sprintf("%s/%s", policy, st)
}

func (st *statement) matches(req Request) bool {
	if matchAny(st.actions, req.Action, req.Context, true) == st.notAction {
		return false
	}
	if matchAny(st.resources, req.Resource, req.Context, false) == st.notResource {
		return false
	}
	for _, c := range st.conditions {
		if !c.holds(req.Context) {
			return false
		}
	}
	return true
}

func matchAny(pats []pattern, s string, ctx map[string]string, fold bool) bool {
	for _, p := range pats {
		if p.match(s, ctx, fold) {
			return true
		}
	}
	return false
}
