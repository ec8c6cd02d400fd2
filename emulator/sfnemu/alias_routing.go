package sfnemu

import (
	"crypto/rand"
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

// ValidAliasName reports whether name is a valid alias name: 1 to 80
// letters, digits, '_', '-' and '.', not only digits (a number would be a
// version).
func ValidAliasName(name string) bool { return validAliasName(name) }

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

// newRoutes checks UpdateStateMachineAlias's routes against the alias
// ARN; nil when the request keeps the routes.
func newRoutes(r UpdateAliasInput) ([]route, error) {
	if r.Description == nil && r.Routes == nil {
		// AWS's text for this case is not recorded.
		return nil, fail(ErrValidation, "Either the description or the RoutingConfiguration must be specified")
	}
	if r.Routes == nil {
		return nil, nil
	}
	routes, _, err := parseRoutes(r.Routes)
	if err == nil && !strings.HasPrefix(r.StateMachineAliasArn, routeBase(routes)+":") {
		err = failf(ErrValidation, "Routing configuration must contain state machine versions of the alias's state machine. Received: [%s]",
			joinArns(r.Routes))
	}
	return routes, err
}

// parseRoutes checks what the model cannot: version ARNs only, distinct,
// of one machine, weights summing to 100. It returns the routes and the
// machine's ARN.
func parseRoutes(items []Route) ([]route, string, error) {
	routes := make([]route, len(items))
	seen := map[string]bool{}
	distinct := true
	for i, it := range items {
		ref, err := parseMachineRef(it.StateMachineVersionArn)
		if err != nil || ref.version == 0 {
			return nil, "", failf(ErrValidation,
				"Routing configuration must contain state machine version ARNs. Received: [%s]", joinArns(items))
		}
		distinct = distinct && !seen[ref.arn]
		seen[ref.arn] = true
		routes[i] = route{arn: ref.arn, version: ref.version, weight: it.Weight}
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
func checkRouteMachines(routes []route, items []Route) error {
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

func joinArns(items []Route) string {
	arns := make([]string, len(items))
	for i, it := range items {
		arns[i] = it.StateMachineVersionArn
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
