package template

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Intrinsic is a CloudFormation intrinsic function call: {"Ref": x},
// {"Fn::Sub": x}, ... Short-form tags (!Ref, !Sub, !GetAtt, ...) decode to
// the same value.
type Intrinsic struct {
	Name string // "Ref", "Fn::Sub", "Fn::GetAtt", "Fn::Join", ...
	Arg  any
}

// maxNodes bounds the nodes one template decodes to, aliases expanded: a
// template of a few hundred bytes can otherwise name a billion nodes
// through nested aliases ("billion laughs").
const maxNodes = 1_000_000

// decoder turns YAML nodes into plain values under the node budget, and
// refuses an alias that refers to a node it is inside of.
type decoder struct {
	nodes   int
	aliases map[*yaml.Node]bool // anchors being expanded
}

// decode turns a YAML node into plain Go values (map[string]any, []any,
// string, float64, bool, nil), with intrinsic tags as Intrinsic values.
func decode(n *yaml.Node) (any, error) {
	d := decoder{aliases: map[*yaml.Node]bool{}}
	return d.decode(n)
}

func (d *decoder) decode(n *yaml.Node) (any, error) {
	if d.nodes++; d.nodes > maxNodes {
		return nil, fmt.Errorf("line %d: the template expands to more than %d yaml nodes", n.Line, maxNodes)
	}
	v, err := d.decodePlain(n)
	if err != nil {
		return nil, err
	}
	if tag := n.Tag; strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		return shortForm(tag[1:], n, v)
	}
	return v, nil
}

func shortForm(tag string, n *yaml.Node, v any) (any, error) {
	name := "Fn::" + tag
	if tag == "Ref" || tag == "Condition" {
		name = tag
	}
	if tag == "GetAtt" {
		if s, ok := v.(string); ok {
			parts := strings.SplitN(s, ".", 2)
			if len(parts) != 2 {
				return nil, fmt.Errorf("line %d: !GetAtt %q: want Resource.Attribute", n.Line, s)
			}
			v = []any{parts[0], parts[1]}
		}
	}
	return Intrinsic{Name: name, Arg: v}, nil
}

func (d *decoder) decodePlain(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		return d.decodeMap(n)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.decode(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		return scalar(n), nil
	case yaml.AliasNode:
		return d.alias(n)
	}
	return nil, fmt.Errorf("line %d: unsupported yaml node", n.Line)
}

// alias decodes the node an alias refers to, refusing a cycle.
func (d *decoder) alias(n *yaml.Node) (any, error) {
	if d.aliases[n.Alias] {
		return nil, fmt.Errorf("line %d: alias *%s refers to a node that contains it", n.Line, n.Value)
	}
	d.aliases[n.Alias] = true
	defer delete(d.aliases, n.Alias)
	return d.decode(n.Alias)
}

func (d *decoder) decodeMap(n *yaml.Node) (any, error) {
	m := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		v, err := d.decode(n.Content[i+1])
		if err != nil {
			return nil, err
		}
		m[n.Content[i].Value] = v
	}
	if len(m) == 1 {
		for k, v := range m {
			if k == "Ref" || strings.HasPrefix(k, "Fn::") {
				return Intrinsic{Name: k, Arg: v}, nil
			}
		}
	}
	return m, nil
}

func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!int", "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	case "!!bool":
		if b, err := strconv.ParseBool(n.Value); err == nil {
			return b
		}
		return strings.EqualFold(n.Value, "yes") || strings.EqualFold(n.Value, "on")
	case "!!null":
		return nil
	}
	return n.Value
}
