// Package template reads the SAM/CloudFormation template that deploys the
// pattern to AWS and turns it into the resources stepwire creates locally:
// functions, state machines, IoT policies, things, topic rules, the
// EventBridge rules of functions' Events and the schedules of state
// machines' Events.
//
// It resolves the intrinsic functions such templates use (Ref, Fn::Sub,
// Fn::GetAtt, Fn::Join in short and long form), reads DefinitionUri files and
// applies DefinitionSubstitutions. Every property of a known resource type is
// either honoured, accepted as having no local effect (listed in one table),
// or refused with an error: nothing is silently ignored.
package template

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Options tune Load.
type Options struct {
	Region, Account string
	// StackName names the stack (AWS::StackName); default "stepwire".
	StackName string
	// Parameters override parameter defaults.
	Parameters map[string]string
}

// Template is a loaded template, its intrinsics resolved.
type Template struct {
	Parameters    map[string]string
	Functions     []Function
	StateMachines []StateMachine
	Policies      []Policy
	Things        []Thing
	Rules         []Rule
	Activities    []Activity
	// EventRules are the EventBridge rules of functions' Events.
	EventRules []EventRule
	// Schedules are the scheduled starts of state machines' Events.
	Schedules []Schedule
	// TrustAnchors, Profiles and Roles are Roles Anywhere's resources and
	// the IAM roles (docs/roles-anywhere.md §3.1).
	TrustAnchors []TrustAnchor
	Profiles     []Profile
	Roles        []Role
	// Unknown lists "LogicalId (Type)" of resources stepwire does not create.
	Unknown []string
	// StackName, Description, Resources and Outputs are the stack as
	// CloudFormation's DescribeStacks and ListStackResources show it.
	StackName, Description string
	Resources              []StackResource
	Outputs                []Output
}

// Function is an AWS::Serverless::Function or AWS::Lambda::Function.
type Function struct {
	LogicalID, Name string
	// CodeURI names the code; its last element selects the in-process
	// handler ("bin/lambda/dispatch/" → "dispatch").
	CodeURI     string
	Environment map[string]string
	// Timeout is the function timeout in seconds (Lambda's default 3).
	Timeout float64
	// Runtime and Handler as given ("" when absent); MemorySize in MB
	// (Lambda's default 128).
	Runtime, Handler, Description string
	MemorySize                    int
	// ReservedConcurrency is ReservedConcurrentExecutions; nil when unset.
	ReservedConcurrency *int
}

// StateMachine is an AWS::Serverless::StateMachine or
// AWS::StepFunctions::StateMachine.
type StateMachine struct {
	LogicalID, Name, Type, RoleArn string
	Definition                     []byte
}

// Activity is an AWS::StepFunctions::Activity.
type Activity struct {
	LogicalID, Name string
}

// Policy is an AWS::IoT::Policy.
type Policy struct {
	LogicalID, Name, Document string
}

// Thing is an AWS::IoT::Thing.
type Thing struct {
	LogicalID, Name string
	Attributes      map[string]string
}

// Rule is an AWS::IoT::TopicRule.
type Rule struct {
	LogicalID, Name, SQL, SQLVersion string
	Disabled                         bool
	Actions                          []RuleAction
	// ErrorAction runs when an action fails; nil when the rule has none.
	ErrorAction *RuleAction
}

// RuleAction is one topic rule action; exactly one field is set.
type RuleAction struct {
	// Lambda is the function ARN of a Lambda action.
	Lambda string
	// StepFunctions starts an execution with the SELECT result as input.
	StepFunctions *StepFunctionsAction
	// Republish publishes the SELECT result to another topic.
	Republish *RepublishAction
}

// StepFunctionsAction is a rule's stepFunctions action.
type StepFunctionsAction struct {
	StateMachineName, ExecutionNamePrefix, RoleArn string
}

// RepublishAction is a rule's republish action.
type RepublishAction struct {
	Topic, RoleArn string
	Qos            int
}

// Load reads and resolves the template at path.
func Load(path string, opts Options) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load template: %w", err)
	}
	t, err := Parse(data, filepath.Dir(path), opts)
	if err != nil {
		return nil, fmt.Errorf("load template %s: %w", path, err)
	}
	return t, nil
}

// Parse resolves a template; relative DefinitionUri paths are read from dir.
func Parse(data []byte, dir string, opts Options) (*Template, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, fmt.Errorf("parse yaml: empty document")
	}
	raw, err := decode(root.Content[0])
	if err != nil {
		return nil, err
	}
	doc, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("template is not a mapping")
	}
	r, err := newResolver(doc, opts)
	if err != nil {
		return nil, err
	}
	return r.build(dir)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
