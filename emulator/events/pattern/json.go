package pattern

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// jkind is the type of a JSON value.
type jkind uint8

const (
	jObject jkind = iota
	jArray
	jString
	jNumber
	jBool
	jNull
)

// jvalue is a JSON value that keeps the order of object members, so a
// pattern's errors are reported in its own order and a repeated key
// overrides the earlier one (docs/eventbridge.md §2.1).
type jvalue struct {
	kind    jkind
	members []member // jObject
	elems   []jvalue // jArray
	text    string   // jString: the string; jNumber: the literal
	b       bool     // jBool
}

type member struct {
	key string
	val jvalue
}

// decodeOrdered parses one JSON document.
func decodeOrdered(src string) (jvalue, error) {
	dec := json.NewDecoder(strings.NewReader(src))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return jvalue{}, invalid("Filter is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return jvalue{}, invalid("Filter is not valid JSON: data after the top-level value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (jvalue, error) {
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return jvalue{}, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return decodeObject(dec)
		}
		return decodeArray(dec)
	case string:
		return jvalue{kind: jString, text: t}, nil
	case json.Number:
		return jvalue{kind: jNumber, text: t.String()}, nil
	case bool:
		return jvalue{kind: jBool, b: t}, nil
	}
	return jvalue{kind: jNull}, nil
}

func decodeObject(dec *json.Decoder) (jvalue, error) {
	v := jvalue{kind: jObject}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jvalue{}, err
		}
		key, _ := tok.(string)
		val, err := decodeValue(dec)
		if err != nil {
			return jvalue{}, err
		}
		v.members = append(v.members, member{key, val})
	}
	_, err := dec.Token() // '}'
	return v, err
}

func decodeArray(dec *json.Decoder) (jvalue, error) {
	v := jvalue{kind: jArray}
	for dec.More() {
		e, err := decodeValue(dec)
		if err != nil {
			return jvalue{}, err
		}
		v.elems = append(v.elems, e)
	}
	_, err := dec.Token() // ']'
	return v, err
}
