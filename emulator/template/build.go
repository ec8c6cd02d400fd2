package template

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stepwire/stepwire/internal/arn"
)

// propertyRules says, per resource type, which properties stepwire honours
// and which it accepts knowing they have no local effect. Any other
// property is a start-up error.
type propertyRules struct {
	honoured []string
	noEffect map[string]string // property → why it has no local effect
}

var (
	iamNotModelled = "IAM permissions are not enforced locally; the emulator grants every call"
	observability  = "logging and tracing destinations do not exist locally"
	tagsOnly       = "tags are metadata only"
)

var rules = map[string]propertyRules{
	"AWS::Serverless::Function": {
		honoured: []string{"CodeUri", "Environment", "Events", "FunctionName", "Handler", "Runtime", "Timeout",
			"MemorySize", "ReservedConcurrentExecutions", "Description"},
		noEffect: map[string]string{
			"Policies": iamNotModelled, "Role": iamNotModelled,
			"Architectures": "functions run on the local machine's architecture",
			"Tags":          tagsOnly, "Tracing": observability, "LoggingConfig": observability,
		},
	},
	"AWS::Serverless::StateMachine": {
		honoured: []string{"Definition", "DefinitionUri", "DefinitionSubstitutions", "Events", "Name", "Type", "Role"},
		noEffect: map[string]string{
			"Policies": iamNotModelled, "PermissionsBoundary": iamNotModelled,
			"Logging": observability, "Tracing": observability, "Tags": tagsOnly,
		},
	},
	"AWS::StepFunctions::StateMachine": {
		honoured: []string{"Definition", "DefinitionString", "DefinitionSubstitutions", "StateMachineName", "StateMachineType", "RoleArn"},
		noEffect: map[string]string{
			"LoggingConfiguration": observability, "TracingConfiguration": observability, "Tags": tagsOnly,
		},
	},
	"AWS::IoT::Policy": {
		honoured: []string{"PolicyName", "PolicyDocument"},
		noEffect: map[string]string{"Tags": tagsOnly},
	},
	"AWS::IoT::Thing": {
		honoured: []string{"ThingName", "AttributePayload"},
	},
	"AWS::IoT::TopicRule": {
		honoured: []string{"RuleName", "TopicRulePayload"},
		noEffect: map[string]string{"Tags": tagsOnly},
	},
	"AWS::StepFunctions::Activity": {
		honoured: []string{"Name"},
		noEffect: map[string]string{"Tags": tagsOnly, "EncryptionConfiguration": "activities are kept in memory, unencrypted"},
	},
	"AWS::RolesAnywhere::TrustAnchor": trustAnchorRules,
	"AWS::RolesAnywhere::Profile":     profileRules,
	"AWS::IAM::Role":                  iamRoleRules,
	"AWS::Lambda::Permission": {
		noEffect: map[string]string{
			"Action": iamNotModelled, "FunctionName": iamNotModelled, "Principal": iamNotModelled,
			"SourceArn": iamNotModelled, "SourceAccount": iamNotModelled, "EventSourceToken": iamNotModelled,
		},
	},
}

func checkProperties(id, typ string, props map[string]any) error {
	pr := rules[typ]
	var bad []string
	for _, k := range sortedKeys(props) {
		if contains(pr.honoured, k) {
			continue
		}
		if _, ok := pr.noEffect[k]; ok {
			continue
		}
		bad = append(bad, k)
	}
	if len(bad) > 0 {
		return fmt.Errorf("resource %s (%s): stepwire cannot honour properties %s", id, typ, strings.Join(bad, ", "))
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *resolver) build(dir string) (*Template, error) {
	t := &Template{Parameters: r.params}
	for _, id := range sortedKeys(r.resources) {
		res := r.resources[id]
		if _, known := rules[res.Type]; !known {
			t.Unknown = append(t.Unknown, id+" ("+res.Type+")")
			continue
		}
		if err := checkProperties(id, res.Type, res.Props); err != nil {
			return nil, err
		}
		props, err := r.resolve(res.Props)
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", id, err)
		}
		if err := r.add(t, id, res, props.(map[string]any), dir); err != nil {
			return nil, fmt.Errorf("resource %s (%s): %w", id, res.Type, err)
		}
	}
	return t, r.describe(t)
}

func (r *resolver) add(t *Template, id string, res resource, p map[string]any, dir string) error {
	switch res.Type {
	case "AWS::Serverless::Function":
		f, err := buildFunction(id, res.name, p)
		t.Functions = append(t.Functions, f)
		if err != nil {
			return err
		}
		if ev, ok := p["Events"]; ok {
			rules, err := r.eventRules(id, res.name, ev)
			t.EventRules = append(t.EventRules, rules...)
			return err
		}
	case "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine":
		sm, err := buildStateMachine(id, res.name, p, dir, r.defaultRole())
		t.StateMachines = append(t.StateMachines, sm)
		if err != nil {
			return err
		}
		if ev, ok := p["Events"]; ok {
			schedules, err := r.stateMachineSchedules(id, res.name, ev)
			t.Schedules = append(t.Schedules, schedules...)
			return err
		}
	case "AWS::IoT::Policy":
		doc, err := policyDocument(p["PolicyDocument"])
		t.Policies = append(t.Policies, Policy{LogicalID: id, Name: res.name, Document: doc})
		return err
	case "AWS::IoT::Thing":
		t.Things = append(t.Things, Thing{LogicalID: id, Name: res.name, Attributes: thingAttributes(p)})
	case "AWS::StepFunctions::Activity":
		t.Activities = append(t.Activities, Activity{LogicalID: id, Name: res.name})
	case "AWS::IoT::TopicRule":
		rule, err := buildRule(id, res.name, p)
		t.Rules = append(t.Rules, rule)
		return err
	case "AWS::RolesAnywhere::TrustAnchor":
		ta, err := buildTrustAnchor(id, res.name, r.arn(res.Type, res.name), p)
		t.TrustAnchors = append(t.TrustAnchors, ta)
		return err
	case "AWS::RolesAnywhere::Profile":
		pr, err := buildProfile(id, res.name, r.arn(res.Type, res.name), p)
		t.Profiles = append(t.Profiles, pr)
		return err
	case "AWS::IAM::Role":
		t.Roles = append(t.Roles, buildRole(id, res.name, r.arn(res.Type, res.name), p))
	}
	return nil
}

// SupportedRuntimes says which Runtime values stepwire runs
// (docs/lambda.md §3): provided and Go binaries, Python 3 and Node.js.
func SupportedRuntimes(rt string) bool {
	switch {
	case rt == "provided.al2023", rt == "provided.al2", rt == "provided", rt == "go1.x":
		return true
	case strings.HasPrefix(rt, "python3."), strings.HasPrefix(rt, "nodejs"):
		return true
	}
	return false
}

func buildFunction(id, name string, p map[string]any) (Function, error) {
	f := Function{LogicalID: id, Name: name, Environment: map[string]string{}, MemorySize: 128}
	f.Runtime, _ = p["Runtime"].(string)
	if f.Runtime != "" && !SupportedRuntimes(f.Runtime) {
		return f, fmt.Errorf("runtime %s: stepwire runs provided.al2023, provided.al2 and go1.x (a bootstrap or Go package), python3.x and nodejs functions", f.Runtime)
	}
	f.Handler, _ = p["Handler"].(string)
	f.Description, _ = p["Description"].(string)
	if m, ok := p["MemorySize"].(float64); ok {
		f.MemorySize = int(m)
	}
	if rc, ok := p["ReservedConcurrentExecutions"].(float64); ok {
		n := int(rc)
		f.ReservedConcurrency = &n
	}
	code, ok := p["CodeUri"].(string)
	if !ok || code == "" {
		return f, fmt.Errorf("CodeUri must be a local path naming the function's code")
	}
	f.CodeURI = code
	f.Timeout = 3
	if to, ok := p["Timeout"].(float64); ok {
		f.Timeout = to
	}
	env, _ := p["Environment"].(map[string]any)
	vars, _ := env["Variables"].(map[string]any)
	for k, v := range vars {
		f.Environment[k] = fmt.Sprint(v)
	}
	return f, nil
}

// defaultRole is the role ARN a state machine gets when the template names
// none: a role "stepwire" in the emulated account.
func (r *resolver) defaultRole() string {
	_, account := arn.Or("", r.opts.Account)
	return arn.IAMRole(account, "stepwire")
}

func buildStateMachine(id, name string, p map[string]any, dir, role string) (StateMachine, error) {
	sm := StateMachine{LogicalID: id, Name: name, Type: "STANDARD", RoleArn: role}
	for _, k := range []string{"Type", "StateMachineType"} {
		if v, ok := p[k].(string); ok {
			sm.Type = v
		}
	}
	for _, k := range []string{"Role", "RoleArn"} {
		if v, ok := p[k].(string); ok {
			sm.RoleArn = v
		}
	}
	def, err := definition(p, dir)
	if err != nil {
		return sm, err
	}
	subs, _ := p["DefinitionSubstitutions"].(map[string]any)
	for k, v := range subs {
		def = strings.ReplaceAll(def, "${"+k+"}", fmt.Sprint(v))
	}
	sm.Definition = []byte(def)
	return sm, nil
}

func definition(p map[string]any, dir string) (string, error) {
	if d, ok := p["Definition"]; ok {
		b, err := json.Marshal(d)
		return string(b), err
	}
	if s, ok := p["DefinitionString"].(string); ok {
		return s, nil
	}
	uri, ok := p["DefinitionUri"].(string)
	if !ok {
		return "", fmt.Errorf("one of Definition, DefinitionString or DefinitionUri (a local file) is required")
	}
	path := uri
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, uri)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("DefinitionUri: %w", err)
	}
	return string(b), nil
}

func policyDocument(v any) (string, error) {
	switch d := v.(type) {
	case string:
		return d, nil
	case map[string]any:
		b, err := json.Marshal(d)
		return string(b), err
	}
	return "", fmt.Errorf("PolicyDocument must be a JSON object or string")
}

func thingAttributes(p map[string]any) map[string]string {
	out := map[string]string{}
	ap, _ := p["AttributePayload"].(map[string]any)
	attrs, _ := ap["Attributes"].(map[string]any)
	for k, v := range attrs {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// ruleHonoured lists the TopicRulePayload fields stepwire implements.
var ruleHonoured = []string{"Sql", "RuleDisabled", "AwsIotSqlVersion", "Actions", "ErrorAction", "Description"}

func buildRule(id, name string, p map[string]any) (Rule, error) {
	rule := Rule{LogicalID: id, Name: name}
	payload, ok := p["TopicRulePayload"].(map[string]any)
	if !ok {
		return rule, fmt.Errorf("TopicRulePayload is required")
	}
	for _, k := range sortedKeys(payload) {
		if !contains(ruleHonoured, k) {
			return rule, fmt.Errorf("TopicRulePayload.%s: stepwire cannot honour it yet", k)
		}
	}
	rule.SQL, _ = payload["Sql"].(string)
	rule.SQLVersion, _ = payload["AwsIotSqlVersion"].(string)
	rule.Disabled, _ = payload["RuleDisabled"].(bool)
	actions, _ := payload["Actions"].([]any)
	for i, a := range actions {
		act, err := ruleAction(a)
		if err != nil {
			return rule, fmt.Errorf("Actions[%d]: %w", i, err)
		}
		rule.Actions = append(rule.Actions, act)
	}
	if ea, ok := payload["ErrorAction"]; ok {
		act, err := ruleAction(ea)
		if err != nil {
			return rule, fmt.Errorf("ErrorAction: %w", err)
		}
		rule.ErrorAction = &act
	}
	return rule, nil
}

// ruleAction reads one action: Lambda, StepFunctions or Republish, the
// kinds stepwire runs. Any other kind is an error, never ignored.
func ruleAction(v any) (RuleAction, error) {
	m, _ := v.(map[string]any)
	if len(m) != 1 {
		return RuleAction{}, fmt.Errorf("an action has exactly one kind, got %v", sortedKeys(m))
	}
	str := func(props map[string]any, k string) string { s, _ := props[k].(string); return s }
	for kind, raw := range m {
		props, _ := raw.(map[string]any)
		switch kind {
		case "Lambda":
			return RuleAction{Lambda: str(props, "FunctionArn")}, nil
		case "StepFunctions":
			return RuleAction{StepFunctions: &StepFunctionsAction{StateMachineName: str(props, "StateMachineName"),
				ExecutionNamePrefix: str(props, "ExecutionNamePrefix"), RoleArn: str(props, "RoleArn")}}, nil
		case "Republish":
			qos, _ := props["Qos"].(float64)
			return RuleAction{Republish: &RepublishAction{Topic: str(props, "Topic"), RoleArn: str(props, "RoleArn"), Qos: int(qos)}}, nil
		}
		return RuleAction{}, fmt.Errorf("%s actions: stepwire runs only Lambda, StepFunctions and Republish actions", kind)
	}
	return RuleAction{}, nil
}
