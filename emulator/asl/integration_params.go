package asl

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// The texts AWS gives for the Parameters (or Arguments) of an optimized
// integration (docs/step-functions.md §4.6.1). The first is AWS's own, as
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
// Parameters or Arguments object of one integration may have and must
// have, and the key of the request's shape in integrationShapes ("" when
// no API model describes it).
type fieldRule struct {
	allowed, required []string
	shape             string
}

// allows reports whether name is one of the rule's top-level fields.
func (r fieldRule) allows(name string) bool {
	for _, a := range r.allowed {
		if a == name {
			return true
		}
	}
	return false
}

// shapeKind is the kind of an integrationShapes entry.
type shapeKind uint8

const (
	shapeStructure shapeKind = iota
	shapeList
	shapeMap
)

// shape is an entry of integrationShapes: a structure's members, each
// with the key of the shape it holds ("" for one not looked into), or the
// element shape of a list or the value shape of a map.
type shape struct {
	kind    shapeKind
	members map[string]string
	elem    string
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
// integration does not take, at any depth the API model describes, or
// lacks a top-level field it needs. AWS names one such field per state
// (docs §4.6.1): the first unknown one in the order of the definition,
// else the first missing one. field is "Parameters" or "Arguments"; loc is
// the state's location.
//
// Only what is known when the machine is created is checked: in
// Parameters a key ending in ".$" names its field once the path has been
// evaluated, and AWS does not refuse an unknown one at create time, so
// such a key only satisfies the field it names and its value is not
// looked into; a Parameters that is absent, or Arguments that are one
// JSONata expression, pass the state input or the expression's value and
// are not checked.
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
	c := fieldChecker{paths: field == "Parameters"}
	given := map[string]bool{}
	var top shape
	if s, ok := integrationShapes[rule.shape]; ok {
		top = s
	}
	for _, m := range params.Members {
		name, dynamic := c.name(m.Key)
		given[name] = true
		switch {
		case dynamic:
		case !rule.allows(name):
			c.unknown(name)
		default:
			c.value(top.members[name], m.Value)
		}
	}
	if c.first == "" {
		for _, r := range rule.required {
			if !given[r] {
				ps.p.schema(loc+"/"+field, msgFieldRequired, r)
				return
			}
		}
		return
	}
	ps.p.schema(loc+"/"+field, msgFieldNotSupported, c.first)
}

// fieldChecker walks a request template along its API shapes and keeps
// the first field that is not one of its structure's members.
type fieldChecker struct {
	paths bool // JSONPath: a key ending in .$ takes a path
	first string
}

// name is the field a key names, and whether its value is a path.
func (c *fieldChecker) name(key string) (string, bool) {
	if !c.paths {
		return key, false
	}
	return strings.CutSuffix(key, ".$")
}

func (c *fieldChecker) unknown(name string) {
	if c.first == "" {
		c.first = name
	}
}

// value checks a literal template value held where the shape key says.
func (c *fieldChecker) value(key string, v any) {
	s, ok := integrationShapes[key]
	if !ok || c.first != "" {
		return
	}
	switch s.kind {
	case shapeStructure:
		o, isObj := v.(*jsonv.Object)
		if !isObj {
			return
		}
		for _, m := range o.Members {
			name, dynamic := c.name(m.Key)
			target, known := s.members[name]
			switch {
			case dynamic:
			case !known:
				c.unknown(name)
			default:
				c.value(target, m.Value)
			}
		}
	case shapeList:
		if list, isList := v.([]any); isList {
			for _, e := range list {
				c.value(s.elem, e)
			}
		}
	case shapeMap:
		if o, isObj := v.(*jsonv.Object); isObj {
			for _, m := range o.Members {
				if _, dynamic := c.name(m.Key); !dynamic {
					c.value(s.elem, m.Value)
				}
			}
		}
	}
}

// UnknownField returns the first field of an evaluated request, a Task's
// Parameters after its paths were resolved, that the integration does not
// take, at any depth the API model describes; ok is false when there is
// none or the integration's fields are not described. AWS refuses such a
// request when the task starts (docs §4.6.1).
func (in Integration) UnknownField(request any) (field string, ok bool) {
	rule, described := in.FieldRule()
	params, isObj := request.(*jsonv.Object)
	if !described || !isObj {
		return "", false
	}
	var c fieldChecker
	top := integrationShapes[rule.shape]
	for _, m := range params.Members {
		if !rule.allows(m.Key) {
			c.unknown(m.Key)
			break
		}
		c.value(top.members[m.Key], m.Value)
		if c.first != "" {
			break
		}
	}
	return c.first, c.first != ""
}
