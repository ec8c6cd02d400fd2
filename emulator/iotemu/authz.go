package iotemu

import (
	"context"
	"log/slog"
	"slices"
	"sync"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
	"github.com/stepwire/stepwire/internal/uuid"
)

// IoT policy actions checked by the broker.
const (
	actConnect       = "iot:Connect"
	actPublish       = "iot:Publish"
	actRetainPublish = "iot:RetainPublish"
	actSubscribe     = "iot:Subscribe"
	actReceive       = "iot:Receive"
)

// maxCachedDecisions bounds a connection's decision cache.
const maxCachedDecisions = 4096

// principal is the identity of one MQTT connection: its certificate and
// client id, with the policies and variables resolved for them. Decisions
// are cached until the registry changes.
type principal struct {
	certID string
	// iam, when set, is the access key id of a SigV4-signed WebSocket
	// connection: an IAM principal, allowed every IoT action (§7.3).
	iam      string
	clientID string
	// conn holds the connection's own context keys: aws:SourceIp and
	// iot:ConnectAttributes.
	conn map[string]string

	mu       sync.Mutex
	gen      uint64
	policies []*policy.Policy
	vars     map[string]string
	cache    map[string]policy.Decision
	// pendingSubs counts filters whose iot:Subscribe was allowed in
	// OnSubscribe and whose OnACLCheck call is still to come.
	pendingSubs map[string]int
}

// refreshLocked reloads policies and variables when the registry changed.
func (p *principal) refreshLocked(r *registry) {
	gen := r.gen.Load()
	if p.cache != nil && gen == p.gen {
		return
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	p.gen = gen
	p.cache = map[string]policy.Decision{}
	p.policies = p.policies[:0]
	p.vars = map[string]string{"iot:ClientId": p.clientID, "iot:CertificateId": p.certID}
	for k, v := range p.conn {
		p.vars[k] = v
	}
	c, ok := r.certs[p.certID]
	if !ok {
		return
	}
	for _, name := range c.policies {
		if sp, ok := r.policies[name]; ok {
			p.policies = append(p.policies, sp.compiled)
		}
	}
	for k, v := range c.vars {
		p.vars[k] = v
	}
	// Non-exclusive attachment: thing variables resolve only when the
	// client id names a thing attached to this certificate (§2.3).
	th, ok := r.things[p.clientID]
	attached := ok && th.principals[c.arn]
	p.vars["iot:Connection.Thing.IsAttached"] = boolString(attached)
	if attached {
		// Thing groups' policies reach the thing only when it is
		// identified this way (docs/iot-core.md §8.1).
		for _, name := range r.groupPolicies(th.name) {
			if sp, ok := r.policies[name]; ok && !slices.Contains(c.policies, name) {
				p.policies = append(p.policies, sp.compiled)
			}
		}
		p.vars["iot:Connection.Thing.ThingName"] = th.name
		for k, v := range th.attributes {
			p.vars["iot:Connection.Thing.Attributes["+k+"]"] = v
		}
	}
}

// thingName is the thing the connection is identified as (§2.3), or "".
func (p *principal) thingName(r *registry) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refreshLocked(r)
	return p.vars["iot:Connection.Thing.ThingName"]
}

// authorize answers one action on one resource name (the part after
// "<type>/" in the ARN).
func (s *Service) authorize(p *principal, action, resourceType, name string) policy.Decision {
	if p.iam != "" {
		return iamDecision
	}
	key := action + "\x00" + name
	p.mu.Lock()
	p.refreshLocked(s.reg)
	d, ok := p.cache[key]
	if !ok {
		d = policy.Evaluate(p.policies, policy.Request{
			Action:   action,
			Resource: s.arn(resourceType + "/" + name),
			Context:  p.vars,
		})
		if len(p.cache) >= maxCachedDecisions {
			clear(p.cache)
		}
		p.cache[key] = d
	}
	p.mu.Unlock()
	s.logDecision(p, action, resourceType+"/"+name, d)
	s.recordDecision(p, action, resourceType+"/"+name, d)
	return d
}

func (s *Service) logDecision(p *principal, action, resource string, d policy.Decision) {
	if d.Allowed {
		if !s.log.Enabled(context.Background(), slog.LevelDebug) {
			return
		}
		s.log.Debug("policy decision", "client", p.clientID, "action", action, "resource", resource, "decision", d.String())
		return
	}
	s.log.Info("policy denied", "client", p.clientID, "action", action, "resource", resource,
		"decision", d.String(), "cert", p.certID)
}

// iamDecision answers every action of an IAM principal. stepwire models
// no IAM policies, so it gives IAM callers an administrator's rights, as
// it does on the AWS API endpoint.
var iamDecision = policy.Decision{Allowed: true, Statement: "iam/administrator"}

// id is the principal's identifier in lifecycle events and in the rules'
// principal(): the certificate id, or the IAM access key id.
func (p *principal) id() string {
	if p.iam != "" {
		return p.iam
	}
	return p.certID
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// newID returns a fresh version-4 UUID (session, thing and trace ids).
var newID = uuid.New
