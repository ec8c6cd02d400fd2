package template

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/stepwire/stepwire/internal/arn"
)

// resolver evaluates intrinsic functions against parameters, pseudo
// parameters and the template's own resources.
type resolver struct {
	opts      Options
	params    map[string]string
	resources map[string]resource
	naming    map[string]bool // resources whose name is being resolved
	// outputs and description are the template's Outputs and Description.
	outputs     map[string]any
	description string
}

type resource struct {
	Type  string
	Props map[string]any
	name  string
	named bool
}

func newResolver(doc map[string]any, opts Options) (*resolver, error) {
	if opts.StackName == "" {
		opts.StackName = "stepwire"
	}
	r := &resolver{opts: opts, params: map[string]string{}, resources: map[string]resource{}, naming: map[string]bool{}}
	if err := r.loadParameters(doc); err != nil {
		return nil, err
	}
	r.outputs, _ = doc["Outputs"].(map[string]any)
	r.description, _ = doc["Description"].(string)
	res, _ := doc["Resources"].(map[string]any)
	if len(res) == 0 {
		return nil, fmt.Errorf("template has no Resources")
	}
	globals := globalFunctionProps(doc)
	for _, id := range slices.Sorted(maps.Keys(res)) {
		m, ok := res[id].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("resource %s is not a mapping", id)
		}
		typ, _ := m["Type"].(string)
		props, _ := m["Properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
		}
		if typ == "AWS::Serverless::Function" {
			props = withGlobals(props, globals)
		}
		r.resources[id] = resource{Type: typ, Props: props}
	}
	return r, r.nameResources()
}

func (r *resolver) loadParameters(doc map[string]any) error {
	params, _ := doc["Parameters"].(map[string]any)
	for name, v := range params {
		m, _ := v.(map[string]any)
		if def, ok := m["Default"]; ok {
			r.params[name] = fmt.Sprint(def)
		}
	}
	for name, v := range r.opts.Parameters {
		if _, ok := params[name]; !ok {
			return fmt.Errorf("parameter %s: not declared in the template", name)
		}
		r.params[name] = v
	}
	for name := range params {
		if _, ok := r.params[name]; !ok {
			return fmt.Errorf("parameter %s: no value and no Default", name)
		}
	}
	return nil
}

func globalFunctionProps(doc map[string]any) map[string]any {
	g, _ := doc["Globals"].(map[string]any)
	f, _ := g["Function"].(map[string]any)
	return f
}

func withGlobals(props, globals map[string]any) map[string]any {
	out := make(map[string]any, len(props)+len(globals))
	for k, v := range globals {
		out[k] = v
	}
	for k, v := range props {
		out[k] = v
	}
	return out
}

// nameProps is the property that names each resource type.
var nameProps = map[string]string{
	"AWS::Serverless::Function":        "FunctionName",
	"AWS::Lambda::Function":            "FunctionName",
	"AWS::Serverless::StateMachine":    "Name",
	"AWS::StepFunctions::StateMachine": "StateMachineName",
	"AWS::IoT::Policy":                 "PolicyName",
	"AWS::IoT::Thing":                  "ThingName",
	"AWS::IoT::TopicRule":              "RuleName",
	"AWS::StepFunctions::Activity":     "Name",
	"AWS::RolesAnywhere::TrustAnchor":  "Name",
	"AWS::RolesAnywhere::Profile":      "Name",
	"AWS::IAM::Role":                   "RoleName",
}

func (r *resolver) nameResources() error {
	for _, id := range sortedKeys(r.resources) {
		if _, err := r.nameOf(id); err != nil {
			return err
		}
	}
	return nil
}

// nameOf resolves a resource's name on first use, so a name may refer to
// another resource whatever their order in the template.
func (r *resolver) nameOf(id string) (string, error) {
	res := r.resources[id]
	if res.named {
		return res.name, nil
	}
	if r.naming[id] {
		return "", fmt.Errorf("resource %s: its name depends on itself", id)
	}
	r.naming[id] = true
	defer delete(r.naming, id)
	name := id
	if prop, ok := nameProps[res.Type]; ok {
		if v, ok := res.Props[prop]; ok {
			s, err := r.resolveString(v)
			if err != nil {
				return "", fmt.Errorf("resource %s: %s: %w", id, prop, err)
			}
			name = s
		}
	}
	res.name, res.named = name, true
	r.resources[id] = res
	return name, nil
}

// resolve evaluates every intrinsic inside v.
func (r *resolver) resolve(v any) (any, error) {
	switch x := v.(type) {
	case Intrinsic:
		return r.intrinsic(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			rv, err := r.resolve(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = rv
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			rv, err := r.resolve(e)
			if err != nil {
				return nil, err
			}
			out[i] = rv
		}
		return out, nil
	}
	return v, nil
}

func (r *resolver) resolveString(v any) (string, error) {
	rv, err := r.resolve(v)
	if err != nil {
		return "", err
	}
	switch s := rv.(type) {
	case string:
		return s, nil
	case float64, bool:
		return fmt.Sprint(s), nil
	}
	return "", fmt.Errorf("want a string, got %T", rv)
}

func (r *resolver) intrinsic(in Intrinsic) (any, error) {
	switch in.Name {
	case "Ref":
		name, ok := in.Arg.(string)
		if !ok {
			return nil, fmt.Errorf("Ref: want a name")
		}
		return r.ref(name)
	case "Fn::Sub":
		return r.sub(in.Arg)
	case "Fn::GetAtt":
		return r.getAtt(in.Arg)
	case "Fn::Join":
		return r.join(in.Arg)
	}
	return nil, fmt.Errorf("%s: intrinsic function not supported", in.Name)
}

func (r *resolver) ref(name string) (string, error) {
	switch name {
	case "AWS::Region":
		return r.opts.Region, nil
	case "AWS::AccountId":
		return r.opts.Account, nil
	case "AWS::StackName":
		return r.opts.StackName, nil
	case "AWS::Partition":
		return "aws", nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if v, ok := r.params[name]; ok {
		return v, nil
	}
	res, ok := r.resources[name]
	if !ok {
		return "", fmt.Errorf("Ref %s: no such parameter or resource", name)
	}
	n, err := r.nameOf(name)
	if err != nil {
		return "", err
	}
	if strings.HasSuffix(res.Type, "StateMachine") || res.Type == "AWS::StepFunctions::Activity" {
		return r.arn(res.Type, n), nil
	}
	if strings.HasPrefix(res.Type, "AWS::RolesAnywhere::") { // Ref is the id
		a := r.arn(res.Type, n)
		return a[strings.LastIndex(a, "/")+1:], nil
	}
	return n, nil
}

func (r *resolver) getAtt(arg any) (string, error) {
	parts, ok := arg.([]any)
	if !ok || len(parts) != 2 {
		return "", fmt.Errorf("Fn::GetAtt: want [Resource, Attribute]")
	}
	id, _ := parts[0].(string)
	attr, _ := parts[1].(string)
	res, ok := r.resources[id]
	if !ok {
		return "", fmt.Errorf("Fn::GetAtt %s.%s: no such resource", id, attr)
	}
	n, err := r.nameOf(id)
	if err != nil {
		return "", err
	}
	switch attr {
	case "Arn":
		if a := r.arn(res.Type, n); a != "" {
			return a, nil
		}
	case "Name":
		return n, nil
	case "TrustAnchorArn", "ProfileArn":
		if a := r.arn(res.Type, n); a != "" && attr == strings.TrimPrefix(res.Type, "AWS::RolesAnywhere::")+"Arn" {
			return a, nil
		}
	case "TrustAnchorId", "ProfileId":
		if a := r.arn(res.Type, n); a != "" && attr == strings.TrimPrefix(res.Type, "AWS::RolesAnywhere::")+"Id" {
			return a[strings.LastIndex(a, "/")+1:], nil
		}
	}
	return "", fmt.Errorf("Fn::GetAtt %s.%s: attribute not supported for %s", id, attr, res.Type)
}

func (r *resolver) arn(typ, name string) string {
	region, acct := r.opts.Region, r.opts.Account
	switch typ {
	case "AWS::Serverless::Function", "AWS::Lambda::Function":
		return arn.LambdaFunction(region, acct, name)
	case "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine":
		return arn.StateMachine(region, acct, name)
	case "AWS::IoT::TopicRule":
		return arn.IoT(region, acct, "rule/"+name)
	case "AWS::IoT::Policy":
		return arn.IoT(region, acct, "policy/"+name)
	case "AWS::IoT::Thing":
		return arn.IoT(region, acct, "thing/"+name)
	case "AWS::StepFunctions::Activity":
		return arn.Activity(region, acct, name)
	case "AWS::IAM::Role":
		return arn.IAMRole(acct, name)
	case "AWS::RolesAnywhere::TrustAnchor":
		return r.rolesAnywhereArn("trust-anchor", name)
	case "AWS::RolesAnywhere::Profile":
		return r.rolesAnywhereArn("profile", name)
	}
	return ""
}

var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

func (r *resolver) sub(arg any) (string, error) {
	text, vars := "", map[string]any{}
	switch a := arg.(type) {
	case string:
		text = a
	case []any:
		if len(a) != 2 {
			return "", fmt.Errorf("Fn::Sub: want [text, {vars}]")
		}
		text, _ = a[0].(string)
		vars, _ = a[1].(map[string]any)
	default:
		return "", fmt.Errorf("Fn::Sub: want a string")
	}
	var firstErr error
	out := subVar.ReplaceAllStringFunc(text, func(m string) string {
		s, err := r.subOne(m[2:len(m)-1], vars)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return s
	})
	out = strings.ReplaceAll(out, "${!", "${")
	return out, firstErr
}

func (r *resolver) subOne(name string, vars map[string]any) (string, error) {
	if v, ok := vars[name]; ok {
		return r.resolveString(v)
	}
	if id, attr, ok := strings.Cut(name, "."); ok {
		return r.getAtt([]any{id, attr})
	}
	return r.ref(name)
}

func (r *resolver) join(arg any) (string, error) {
	a, ok := arg.([]any)
	if !ok || len(a) != 2 {
		return "", fmt.Errorf("Fn::Join: want [delimiter, [values]]")
	}
	sep, _ := a[0].(string)
	list, err := r.resolve(a[1])
	if err != nil {
		return "", err
	}
	items, ok := list.([]any)
	if !ok {
		return "", fmt.Errorf("Fn::Join: want a list of values")
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprint(it)
	}
	return strings.Join(parts, sep), nil
}
