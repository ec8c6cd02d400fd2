package scenarios

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// MaxFileSize bounds a scenario file.
const MaxFileSize = 1 << 20

//go:embed schema.json
var schemaJSON []byte

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("schema.json")
})

// Load reads a scenario file. A file that breaks the schema or names what
// does not exist gets an error naming the line and the field.
func Load(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	s, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	s.path = path
	return s, nil
}

// Parse reads a scenario from YAML. Errors start with the line: "12: ...".
func Parse(b []byte) (*Scenario, error) {
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("1: the file is %d bytes, above the limit of %d", len(b), MaxFileSize)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s", yamlError(err))
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("1: the file is empty")
	}
	root := doc.Content[0]
	if err := checkSchema(root); err != nil {
		return nil, err
	}
	var s Scenario
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s", yamlError(err))
	}
	s.node = root
	for i := range s.Steps {
		s.Steps[i].line = lineOf(root, "steps", i)
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// yamlError turns "yaml: line 3: ..." into "3: ...".
func yamlError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		return rest
	}
	return "1: " + msg
}

// checkSchema validates the document against schema.json and reports the
// first errors with their lines.
func checkSchema(root *yaml.Node) error {
	sch, err := compiled()
	if err != nil {
		return fmt.Errorf("1: scenario schema: %w", err)
	}
	var v any
	if err := root.Decode(&v); err != nil {
		return fmt.Errorf("%s", yamlError(err))
	}
	j, err := json.Marshal(normaliseYAML(v))
	if err != nil {
		return fmt.Errorf("%d: %v", root.Line, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return fmt.Errorf("%d: %v", root.Line, err)
	}
	err = sch.Validate(inst)
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	leaves := leafErrors(verr)
	sort.SliceStable(leaves, func(i, j int) bool { return len(leaves[i].InstanceLocation) > len(leaves[j].InstanceLocation) })
	p := message.NewPrinter(language.English)
	var msgs []string
	for _, l := range leaves[:min(3, len(leaves))] {
		loc := l.InstanceLocation
		if ap, ok := l.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) > 0 {
			loc = append(append([]string(nil), loc...), ap.Properties[0]) // point at the unknown field
		}
		path := make([]any, len(loc))
		for i, k := range loc {
			if n, err := strconv.Atoi(k); err == nil {
				path[i] = n
			} else {
				path[i] = k
			}
		}
		msgs = append(msgs, fmt.Sprintf("%d: %s: %s", lineOf(root, path...), fieldName(loc), l.ErrorKind.LocalizedString(p)))
	}
	return errors.New(strings.Join(msgs, "\n"))
}

func leafErrors(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leafErrors(c)...)
	}
	return out
}

// fieldName renders an instance location as steps[2].kill.
func fieldName(loc []string) string {
	if len(loc) == 0 {
		return "(top level)"
	}
	var b strings.Builder
	for _, k := range loc {
		if _, err := strconv.Atoi(k); err == nil {
			b.WriteString("[" + k + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(k)
	}
	return b.String()
}

// normaliseYAML turns what YAML decodes into values JSON can hold: maps
// with non-string keys get string keys.
func normaliseYAML(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normaliseYAML(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = normaliseYAML(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = normaliseYAML(e)
		}
		return x
	case float64:
		if x != x || x > 1e308 || x < -1e308 {
			return fmt.Sprint(x) // NaN and infinities: not JSON
		}
	}
	return v
}

// lineOf finds the line of the value at path (map keys and list indices)
// under n, or of its deepest ancestor that exists.
func lineOf(n *yaml.Node, path ...any) int {
	line := n.Line
	for _, p := range path {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						line, next = n.Content[i].Line, n.Content[i+1]
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

// fieldError is an error about the field at path, with its line.
func (s *Scenario) fieldError(format string, args []any, path ...any) error {
	line := 1
	if s.node != nil {
		line = lineOf(s.node, path...)
	}
	var name []string
	for _, p := range path {
		name = append(name, fmt.Sprint(p))
	}
	return fmt.Errorf("%d: %s: %s", line, fieldName(name), fmt.Sprintf(format, args...))
}
