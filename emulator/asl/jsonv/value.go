// Package jsonv is stepwire's JSON value model: decoded documents keep the
// key order of their objects and the text of their numbers, so that data a
// state machine passes through comes out as it went in.
//
// A value is one of: nil (JSON null), bool, Number, string, []any or
// *Object. Values are treated as immutable once built; functions that
// "modify" a document copy the parts they change.
package jsonv

import (
	"math"
	"strconv"
)

// Number is a JSON number kept as its literal text.
type Number string

// Float returns the number as a float64.
func (n Number) Float() float64 {
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

// Int returns the number as an int64 and whether it is integral and in range.
func (n Number) Int() (int64, bool) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		return 0, false
	}
	return int64(f), true
}

// IsInteger reports whether the literal has no fraction or exponent.
func (n Number) IsInteger() bool {
	for i := 0; i < len(n); i++ {
		switch n[i] {
		case '.', 'e', 'E':
			return false
		}
	}
	return true
}

// IntNumber makes a Number from an integer.
func IntNumber(i int64) Number { return Number(strconv.FormatInt(i, 10)) }

// FloatNumber makes a Number from a float, integral values without fraction.
func FloatNumber(f float64) Number {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return Number(strconv.FormatInt(int64(f), 10))
	}
	return Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// Member is one key/value pair of an Object.
type Member struct {
	Key   string
	Value any
}

// Object is a JSON object that keeps its insertion order.
type Object struct {
	Members []Member
}

// NewObject returns an empty object with room for n members.
func NewObject(n int) *Object { return &Object{Members: make([]Member, 0, n)} }

// Get returns the value stored under key.
func (o *Object) Get(key string) (any, bool) {
	for i := range o.Members {
		if o.Members[i].Key == key {
			return o.Members[i].Value, true
		}
	}
	return nil, false
}

// Set replaces the value under key or appends a new member.
func (o *Object) Set(key string, v any) {
	for i := range o.Members {
		if o.Members[i].Key == key {
			o.Members[i].Value = v
			return
		}
	}
	o.Members = append(o.Members, Member{Key: key, Value: v})
}

// Len returns the number of members.
func (o *Object) Len() int { return len(o.Members) }

// Copy returns a shallow copy of the object.
func (o *Object) Copy() *Object {
	c := &Object{Members: make([]Member, len(o.Members), len(o.Members)+1)}
	copy(c.Members, o.Members)
	return c
}

// TypeName names the JSON type of v as the Step Functions error texts do.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case *Object:
		return "object"
	}
	return "unknown"
}

// Equal reports whether a and b are the same JSON value; numbers compare
// by value and object members regardless of order.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case Number:
		y, ok := b.(Number)
		return ok && (x == y || x.Float() == y.Float())
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, m := range x.Members {
			v, ok := y.Get(m.Key)
			if !ok || !Equal(m.Value, v) {
				return false
			}
		}
		return true
	}
	return false
}
