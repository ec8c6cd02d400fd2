package template

import (
	"fmt"
	"strings"
)

// StackResource is one resource of the template as CloudFormation lists
// it once the stack is created: its logical id, its type after the SAM
// transform, and its physical id, what Ref returns (docs/cloudformation.md
// §3).
type StackResource struct {
	LogicalID, Type, PhysicalID string
}

// Output is one of the template's Outputs, resolved.
type Output struct {
	Key, Value, Description, ExportName string
}

// samTypes are the CloudFormation types SAM's resources become.
var samTypes = map[string]string{
	"AWS::Serverless::Function":     "AWS::Lambda::Function",
	"AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
}

// stackResources lists every resource of the template, known or not.
func (r *resolver) stackResources() ([]StackResource, error) {
	var out []StackResource
	for _, id := range sortedKeys(r.resources) {
		typ := r.resources[id].Type
		phys, err := r.ref(id)
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", id, err)
		}
		if t, ok := samTypes[typ]; ok {
			typ = t
		}
		out = append(out, StackResource{LogicalID: id, Type: typ, PhysicalID: phys})
	}
	return out, nil
}

// stackOutputs resolves the template's Outputs: Value, Description and
// Export.Name.
func (r *resolver) stackOutputs() ([]Output, error) {
	var out []Output
	for _, key := range sortedKeys(r.outputs) {
		m, ok := r.outputs[key].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("output %s is not a mapping", key)
		}
		o := Output{Key: key}
		var err error
		if o.Value, err = r.resolveString(m["Value"]); err != nil {
			return nil, fmt.Errorf("output %s: Value: %w", key, err)
		}
		if d, ok := m["Description"]; ok {
			if o.Description, err = r.resolveString(d); err != nil {
				return nil, fmt.Errorf("output %s: Description: %w", key, err)
			}
		}
		if exp, ok := m["Export"].(map[string]any); ok {
			if o.ExportName, err = r.resolveString(exp["Name"]); err != nil {
				return nil, fmt.Errorf("output %s: Export.Name: %w", key, err)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// describe fills the stack's view of the template: its description,
// resources and outputs.
func (r *resolver) describe(t *Template) error {
	t.StackName = r.opts.StackName
	t.Description = strings.TrimSpace(r.description)
	var err error
	if t.Resources, err = r.stackResources(); err != nil {
		return err
	}
	t.Outputs, err = r.stackOutputs()
	return err
}
