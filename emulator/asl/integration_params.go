package asl

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// The texts AWS gives for the Parameters (or Arguments) of an optimized
// integration (docs/step-functions.md §4.6). The first is AWS's own, as
// CreateStateMachine answered it
// ("SCHEMA_VALIDATION_FAILED: The field \"key\" is not supported by Step
// Functions at /States/Train Step/Parameters",
// aws/aws-step-functions-data-science-sdk-python#200); the second is the
// wording AWS records for a missing Credentials RoleArn, applied to a
// missing request field, and is unverified.
const (
	msgFieldNotSupported = `The field "%s" is not supported by Step Functions`
	msgFieldRequired     = "The field '%s' is required but was missing"
)

// fieldRule is a row of integrationFields: the top-level fields a
// Parameters or Arguments object of one integration may have and must have.
type fieldRule struct {
	allowed, required []string
}

// allows reports whether name is one of the rule's fields.
func (r fieldRule) allows(name string) bool {
	for _, a := range r.allowed {
		if a == name {
			return true
		}
	}
	return false
}

// FieldRule returns the field rule of an optimized integration; ok is false
// for aws-sdk integrations (their fields are the service API's, which AWS
// passes through) and for integrations the table does not describe.
func (in Integration) FieldRule() (fieldRule, bool) {
	if in.Service == sdkService {
		return fieldRule{}, false
	}
	r, ok := integrationFields[in.Service+":"+in.Action]
	return r, ok
}

// checkIntegrationFields refuses a Parameters (JSONPath) or Arguments
// (JSONata) object of an optimized integration that names a field the
// integration does not take, or lacks one it needs. field is "Parameters"
// or "Arguments"; loc is the state's location.
//
// Only what is known when the machine is created is checked: a JSONPath
// key ending in ".$" names its field once the path has been evaluated, and
// AWS does not refuse an unknown one at create time (it fails the task when
// it runs), so such a key only satisfies the field it names; a Parameters
// that is absent, or Arguments that are one JSONata expression, pass the
// state input or the expression's value and are not checked.
func (ps *parser) checkIntegrationFields(res string, o *jsonv.Object, field, loc string) {
	in, ok := ParseIntegration(res)
	if !ok || !in.Offered() {
		return
	}
	rule, ok := in.FieldRule()
	if !ok {
		return
	}
	v, present := o.Get(field)
	if !present {
		return
	}
	params, isObj := v.(*jsonv.Object)
	if !isObj {
		return
	}
	floc := loc + "/" + field
	given := map[string]bool{}
	for _, m := range params.Members {
		name, dynamic := strings.CutSuffix(m.Key, ".$")
		if field != "Parameters" {
			name, dynamic = m.Key, false
		}
		given[name] = true
		if !dynamic && !rule.allows(name) {
			ps.p.schema(floc, msgFieldNotSupported, name)
		}
	}
	for _, r := range rule.required {
		if !given[r] {
			ps.p.schema(floc, msgFieldRequired, r)
		}
	}
}
