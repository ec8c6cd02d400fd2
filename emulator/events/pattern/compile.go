package pattern

// maxBranches is the most $or combinations a pattern may expand to
// (docs/eventbridge.md §2.2, $or).
const maxBranches = 1000

// orKeyword names an $or relationship.
const orKeyword = "$or"

// node is a compiled (sub-)pattern: every field must match, and in each
// $or group at least one alternative must.
type node struct {
	fields []field
	ors    [][]*node
}

// field is a leaf path with its alternatives: the field matches when any
// of them does.
type field struct {
	path  string
	conds []cond
}

// reservedInOr are the names a member of an $or alternative may not have
// (operator names and ones EventBridge's matcher keeps for later).
var reservedInOr = map[string]bool{
	"exact": true, "equals-ignore-case": true, "prefix": true, "suffix": true, "anything-but": true,
	"exists": true, "wildcard": true, "numeric": true, "cidr": true,
	"=": true, "<": true, "<=": true, ">": true, ">=": true, "regex": true,
	"not-wildcard": true, "not-equals-ignore-case": true,
	"date-after": true, "date-on-or-after": true, "date-before": true, "date-on-or-before": true,
	"in-date-range": true, "ip-address-in-range": true, "ip-address-not-in-range": true,
}

// compileObject compiles the members of a pattern object whose path is
// prefix. inOr is set inside an $or alternative.
func compileObject(obj jvalue, prefix string, inOr bool) (*node, *Error) {
	if len(obj.members) == 0 {
		return nil, invalid("Empty objects are not allowed")
	}
	n := &node{}
	for _, m := range obj.members {
		if err := n.addMember(m, prefix, inOr); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (n *node) addMember(m member, prefix string, inOr bool) *Error {
	if m.key == orKeyword {
		return n.addOr(m.val, prefix)
	}
	if inOr && reservedInOr[m.key] {
		return invalid("%s is Ruler reserved fieldName which cannot be used inside %s.", m.key, orKeyword)
	}
	path := join(prefix, m.key)
	switch m.val.kind {
	case jObject:
		sub, err := compileObject(m.val, path, inOr)
		if err != nil {
			return err
		}
		for _, f := range sub.fields {
			n.setField(f)
		}
		n.ors = append(n.ors, sub.ors...)
		return nil
	case jArray:
		conds, err := compileValues(m.val)
		if err != nil {
			return err
		}
		n.setField(field{path: path, conds: conds})
		return nil
	}
	return invalid("%q must be an object or an array", m.key)
}

// setField adds f, replacing an earlier field of the same path: a
// repeated key in a pattern overrides (docs/eventbridge.md §2.1).
func (n *node) setField(f field) {
	for i := range n.fields {
		if n.fields[i].path == f.path {
			n.fields[i] = f
			return
		}
	}
	n.fields = append(n.fields, f)
}

// addOr compiles an $or array of at least two objects.
func (n *node) addOr(v jvalue, prefix string) *Error {
	if v.kind != jArray {
		return invalid("It must be an Array followed with %s.", orKeyword)
	}
	var alts []*node
	for _, el := range v.elems {
		if el.kind != jObject {
			return invalid("Only JSON object is allowed in array of %s relationship.", orKeyword)
		}
		alt, err := compileObject(el, prefix, true)
		if err != nil {
			return err
		}
		alts = append(alts, alt)
	}
	if len(alts) < 2 {
		return invalid("There must have at least 2 Objects in %s relationship.", orKeyword)
	}
	n.ors = append(n.ors, alts)
	return nil
}

// compileValues compiles a field's array of values and operators.
func compileValues(arr jvalue) ([]cond, *Error) {
	conds := make([]cond, 0, len(arr.elems))
	for _, el := range arr.elems {
		c, err := compileValue(el)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	if len(conds) == 0 {
		return nil, invalid("Empty arrays are not allowed")
	}
	return conds, nil
}

// compileValue compiles one element of a field's array: an exact value or
// an operator object.
func compileValue(el jvalue) (cond, *Error) {
	switch el.kind {
	case jObject:
		return compileOperator(el)
	case jString:
		return exactString(el.text), nil
	case jNumber:
		return exactNumber(number(el.text)), nil
	case jBool:
		b := el.b
		return test(func(v value) bool { return v.kind == jBool && v.b == b }), nil
	case jNull:
		return test(func(v value) bool { return v.kind == jNull }), nil
	}
	return cond{}, invalid("Match value must be String, number, true, false, or null")
}

// branches counts the combinations the $or groups expand to.
func (n *node) branches() int {
	total := 1
	for _, group := range n.ors {
		sum := 0
		for _, alt := range group {
			sum += alt.branches()
		}
		total *= sum
		if total > maxBranches {
			return total
		}
	}
	return total
}

// match reports whether the flattened event satisfies the node.
func (n *node) match(fields map[string][]value) bool {
	for _, f := range n.fields {
		if !f.match(fields[f.path]) {
			return false
		}
	}
	for _, group := range n.ors {
		if !anyAlt(group, fields) {
			return false
		}
	}
	return true
}

func anyAlt(alts []*node, fields map[string][]value) bool {
	for _, a := range alts {
		if a.match(fields) {
			return true
		}
	}
	return false
}

func (f field) match(vals []value) bool {
	for _, c := range f.conds {
		if c.match(vals) {
			return true
		}
	}
	return false
}
