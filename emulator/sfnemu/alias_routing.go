package sfnemu

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// route is one entry of an alias's routing configuration.
type route struct {
	arn     string // the version ARN
	version int
	weight  int32
}

// aliasNamePattern is the model's pattern for alias names: letters,
// digits, '_', '-' and '.', not only digits (a number would be a version).
const aliasNamePattern = `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`

// validAliasName reports whether name matches aliasNamePattern and the
// model's length limit.
func validAliasName(name string) bool {
	if name == "" || len(name) > maxNameLen {
		return false
	}
	nonDigit := false
	for _, c := range name {
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '-', c == '.':
			nonDigit = true
		default:
			return false
		}
	}
	return nonDigit
}

// checkCreateAlias applies CreateStateMachineAlias's model constraints.
func checkCreateAlias(r *createAliasInput) error {
	var v violations
	v.required("name", r.Name != nil)
	if r.Name != nil {
		v.length("name", *r.Name, 1, maxNameLen, false)
		if *r.Name != "" && !validAliasName(*r.Name) && len(*r.Name) <= maxNameLen {
			v.add("name", *r.Name, false, "Member must satisfy regular expression pattern: "+aliasNamePattern)
		}
	}
	checkAliasDescription(&v, r.Description)
	v.required("routingConfiguration", r.RoutingConfiguration != nil)
	if r.RoutingConfiguration != nil {
		checkRoutingModel(&v, r.RoutingConfiguration)
	}
	return v.err()
}

// checkUpdateAlias applies UpdateStateMachineAlias's constraints and
// returns the new routes, nil when the request keeps them.
func checkUpdateAlias(r *updateAliasInput) ([]route, error) {
	var v violations
	v.required("stateMachineAliasArn", r.StateMachineAliasArn != nil)
	checkAliasDescription(&v, r.Description)
	if r.RoutingConfiguration != nil {
		checkRoutingModel(&v, r.RoutingConfiguration)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if r.Description == nil && r.RoutingConfiguration == nil {
		// AWS's text for this case is not recorded.
		return nil, fail(ErrValidation, "Either the description or the RoutingConfiguration must be specified")
	}
	if r.RoutingConfiguration == nil {
		return nil, nil
	}
	routes, _, err := parseRoutes(r.RoutingConfiguration)
	if err == nil && !strings.HasPrefix(*r.StateMachineAliasArn, routeBase(routes)+":") {
		err = failf(ErrValidation, "Routing configuration must contain state machine versions of the alias's state machine. Received: [%s]",
			joinArns(r.RoutingConfiguration))
	}
	return routes, err
}

func checkAliasDescription(v *violations, d *string) {
	if d != nil {
		v.length("description", *d, 0, maxVersionDescription, true)
	}
}

// checkRoutingModel checks the routing configuration's model constraints:
// 1–2 entries, each with a version ARN and a weight in [0, 100].
func checkRoutingModel(v *violations, items []routingItem) {
	if n := len(items); n < 1 || n > 2 {
		rule := "Member must have length greater than or equal to 1"
		if n > 2 {
			rule = "Member must have length less than or equal to 2"
		}
		v.add("routingConfiguration", renderRouting(items), false, rule)
		return
	}
	for i, it := range items {
		member := fmt.Sprintf("routingConfiguration.%d.member.", i+1)
		v.required(member+"stateMachineVersionArn", it.StateMachineVersionArn != nil)
		if it.StateMachineVersionArn != nil {
			v.length(member+"stateMachineVersionArn", *it.StateMachineVersionArn, 1, 256, false)
		}
		v.required(member+"weight", it.Weight != nil)
		if it.Weight != nil {
			v.rangeInt(member+"weight", int64(*it.Weight), 0, 100)
		}
	}
}

// renderRouting renders a routing configuration as AWS quotes it in a
// validation message (Java's toString of the list).
func renderRouting(items []routingItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		w := "null"
		if it.Weight != nil {
			w = strconv.Itoa(int(*it.Weight))
		}
		parts[i] = fmt.Sprintf("RoutingConfigurationListItem(stateMachineVersionArn=%s, weight=%s)",
			derefOr(it.StateMachineVersionArn), w)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// parseRoutes checks what the model cannot: version ARNs only, distinct,
// of one machine, weights summing to 100. It returns the routes and the
// machine's ARN.
func parseRoutes(items []routingItem) ([]route, string, error) {
	routes := make([]route, len(items))
	seen := map[string]bool{}
	distinct := true
	for i, it := range items {
		ref, err := parseMachineRef(*it.StateMachineVersionArn)
		if err != nil || ref.version == 0 {
			return nil, "", failf(ErrValidation,
				"Routing configuration must contain state machine version ARNs. Received: [%s]", joinArns(items))
		}
		distinct = distinct && !seen[ref.arn]
		seen[ref.arn] = true
		routes[i] = route{arn: ref.arn, version: ref.version, weight: *it.Weight}
	}
	if !distinct {
		return nil, "", failf(ErrValidation,
			"Routing configuration must contain distinct state machine version ARNs. Received: [%s]", joinArns(items))
	}
	if err := checkRouteMachines(routes, items); err != nil {
		return nil, "", err
	}
	return routes, routeBase(routes), checkWeights(routes)
}

// checkRouteMachines refuses versions of different machines (AWS's text
// for this case is not recorded).
func checkRouteMachines(routes []route, items []routingItem) error {
	for _, r := range routes[1:] {
		if baseOf(r) != routeBase(routes) {
			return failf(ErrValidation,
				"Routing configuration must contain state machine versions of the same state machine. Received: [%s]",
				joinArns(items))
		}
	}
	return nil
}

func checkWeights(routes []route) error {
	sum, ws := int32(0), make([]string, len(routes))
	for i, r := range routes {
		sum += r.weight
		ws[i] = strconv.Itoa(int(r.weight))
	}
	if sum != 100 {
		return failf(ErrValidation, "Sum of routing configuration weights must equal 100. Received: [%s]",
			strings.Join(ws, ", "))
	}
	return nil
}

func baseOf(r route) string { return strings.TrimSuffix(r.arn, ":"+strconv.Itoa(r.version)) }

// routeBase is the machine ARN of the routes (checked to be one).
func routeBase(routes []route) string { return baseOf(routes[0]) }

func joinArns(items []routingItem) string {
	arns := make([]string, len(items))
	for i, it := range items {
		arns[i] = derefOr(it.StateMachineVersionArn)
	}
	return strings.Join(arns, ", ")
}

// pickRoute chooses the version an execution through an alias runs: route
// i with probability weight_i/100, drawn from the service's random source.
func (s *Service) pickRoute(routes []route) route {
	x := int32(0)
	s.randMu.Lock()
	n, err := rand.Int(s.cfg.Random, big.NewInt(100))
	s.randMu.Unlock()
	if err == nil {
		x = int32(n.Int64())
	}
	for _, r := range routes {
		if x < r.weight {
			return r
		}
		x -= r.weight
	}
	return routes[len(routes)-1]
}
