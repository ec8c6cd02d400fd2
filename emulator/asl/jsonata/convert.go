package jsonata

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// toNative converts a jsonv value into the plain Go shapes the engine
// works on: map[string]any, []any, float64, string, bool, nil.
func toNative(v any) any { return (*keyOrder)(nil).toNative(v) }

// toNative converts v, remembering each object's key order (ko may be
// nil).
func (ko *keyOrder) toNative(v any) any {
	switch x := v.(type) {
	case *jsonv.Object:
		m := make(map[string]any, x.Len())
		for _, mb := range x.Members {
			m[mb.Key] = ko.native(mb.Value)
		}
		ko.remember(m, x)
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = ko.native(e)
		}
		return a
	case jsonv.Number:
		return x.Float()
	}
	return v
}

// fromNative converts an engine result into a jsonv value, object keys in
// the order ko knows for them (see order.go). A value JSON cannot hold (a
// function) returns ok false.
func (ko *keyOrder) fromNative(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool:
		return x, true
	case float64:
		return Number(x), true
	case jsonv.Number, *jsonv.Object:
		return x, true
	case map[string]any:
		return ko.objectFromNative(x)
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			var ok bool
			if a[i], ok = ko.fromNative(e); !ok {
				return nil, false
			}
		}
		return a, true
	case reflect.Value:
		if !x.IsValid() {
			return nil, true
		}
		return ko.fromNative(x.Interface())
	}
	return ko.fromReflect(reflect.ValueOf(v))
}

func (ko *keyOrder) objectFromNative(m map[string]any) (any, bool) {
	keys := ko.keys(m)
	o := jsonv.NewObject(len(keys))
	for _, k := range keys {
		e, ok := ko.fromNative(m[k])
		if !ok {
			return nil, false
		}
		o.Set(k, e)
	}
	return o, true
}

// fromReflect handles the other numeric kinds and typed slices or maps
// an engine function may return.
func (ko *keyOrder) fromReflect(rv reflect.Value) (any, bool) {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return jsonv.IntNumber(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Number(float64(rv.Uint())), true
	case reflect.Float32:
		return Number(rv.Float()), true
	case reflect.Slice, reflect.Array:
		a := make([]any, rv.Len())
		for i := range a {
			var ok bool
			if a[i], ok = ko.fromNative(rv.Index(i).Interface()); !ok {
				return nil, false
			}
		}
		return a, true
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, false
		}
		m := make(map[string]any, rv.Len())
		for _, k := range rv.MapKeys() {
			m[k.String()] = rv.MapIndex(k).Interface()
		}
		return ko.objectFromNative(m)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, true
		}
		return ko.fromNative(rv.Elem().Interface())
	}
	return nil, false
}

// Number renders a float the way JavaScript's Number#toString does, which
// is how JSONata results reach JSON text.
func Number(f float64) jsonv.Number {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return jsonv.Number("null")
	}
	abs := math.Abs(f)
	if abs == 0 {
		return "0"
	}
	if abs >= 1e21 || abs < 1e-6 {
		s := strconv.FormatFloat(f, 'g', -1, 64)
		// Go writes e+07 / e-07 where JavaScript writes e+7 / e-7.
		if i := strings.IndexAny(s, "e"); i >= 0 && len(s) > i+2 && s[i+2] == '0' {
			s = s[:i+2] + strings.TrimLeft(s[i+2:], "0")
		}
		return jsonv.Number(s)
	}
	return jsonv.Number(strconv.FormatFloat(f, 'f', -1, 64))
}
