package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode"
)

// ErrMalformed is wrapped by every error Parse returns; the IoT control
// plane answers it with MalformedPolicyException.
var ErrMalformed = errors.New("malformed policy document")

// Parse parses and compiles an IoT policy document.
func Parse(doc string) (*Policy, error) {
	if n := nonSpaceLen(doc); n > MaxDocumentSize {
		return nil, malformed("document has %d characters without whitespace, the limit is %d", n, MaxDocumentSize)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return nil, malformed("not a JSON object: %v", err)
	}
	p := &Policy{}
	for key, raw := range top {
		switch key {
		case "Version":
			if err := json.Unmarshal(raw, &p.Version); err != nil {
				return nil, malformed("Version must be a string")
			}
		case "Id":
		case "Statement":
		default:
			return nil, malformed("unknown element %q", key)
		}
	}
	raws, err := objectOrArray(top["Statement"])
	if err != nil || len(raws) == 0 {
		return nil, malformed("Statement must be an object or a non-empty array of objects")
	}
	vars := p.Version == Version2012
	for i, raw := range raws {
		st, err := parseStatement(raw, i, vars)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i, err)
		}
		p.statements = append(p.statements, st)
	}
	return p, nil
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

func nonSpaceLen(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

type rawStatement struct {
	Sid         string
	Effect      string
	Action      json.RawMessage
	NotAction   json.RawMessage
	Resource    json.RawMessage
	NotResource json.RawMessage
	Condition   map[string]map[string]json.RawMessage
	Principal   json.RawMessage
}

func parseStatement(raw json.RawMessage, index int, vars bool) (statement, error) {
	var rs rawStatement
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rs); err != nil {
		return statement{}, malformed("%v", err)
	}
	st := statement{label: "#" + strconv.Itoa(index)}
	if rs.Sid != "" {
		st.label = rs.Sid
	}
	switch rs.Effect {
	case "Allow":
	case "Deny":
		st.deny = true
	default:
		return statement{}, malformed("Effect must be Allow or Deny, got %q", rs.Effect)
	}
	var err error
	if st.actions, st.notAction, err = patternsOf("Action", rs.Action, rs.NotAction, false); err != nil {
		return statement{}, err
	}
	if st.resources, st.notResource, err = patternsOf("Resource", rs.Resource, rs.NotResource, vars); err != nil {
		return statement{}, err
	}
	if st.conditions, err = parseConditions(rs.Condition, vars); err != nil {
		return statement{}, err
	}
	return st, nil
}

// patternsOf compiles exactly one of X or NotX.
func patternsOf(name string, pos, neg json.RawMessage, vars bool) ([]pattern, bool, error) {
	if (pos == nil) == (neg == nil) {
		return nil, false, malformed("exactly one of %s and Not%s is required", name, name)
	}
	raw, not := pos, false
	if neg != nil {
		raw, not = neg, true
	}
	strs, err := stringOrArray(raw)
	if err != nil || len(strs) == 0 {
		return nil, false, malformed("%s must be a string or a non-empty array of strings", name)
	}
	pats := make([]pattern, len(strs))
	for i, s := range strs {
		pats[i] = compilePattern(s, vars)
	}
	return pats, not, nil
}

func objectOrArray(raw json.RawMessage) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("missing")
	}
	if raw[0] == '{' {
		return []json.RawMessage{raw}, nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, err
	}
	for _, r := range arr {
		if r = bytes.TrimSpace(r); len(r) == 0 || r[0] != '{' {
			return nil, errors.New("array element is not an object")
		}
	}
	return arr, nil
}

// stringOrArray decodes a string or an array of scalars; booleans and
// numbers become their JSON text (condition values such as `true`).
func stringOrArray(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(raw, &arr); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(arr))
		for _, r := range arr {
			s, err := scalar(r)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := scalar(raw)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func scalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", errors.New("empty value")
	}
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", err
		}
		return string(raw), nil
	}
	return "", fmt.Errorf("not a string: %s", raw)
}
