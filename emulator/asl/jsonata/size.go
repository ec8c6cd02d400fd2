package jsonata

import (
	"reflect"

	"github.com/stepwire/stepwire/emulator/asl/budget"
)

// nativeSize estimates, as budget.Size does for jsonv values, the memory
// an engine value holds as a tree, stopping once it passes limit. Values
// the engine shares (an array placed twice in another) count each time
// they are reached, as they will when the result is written out.
func nativeSize(v any, limit int64) (size, cells int64) {
	s := nsizer{limit: limit}
	s.add(v)
	return s.size, s.cells
}

type nsizer struct {
	limit, size, cells int64
}

func (s *nsizer) over() bool { return s.size > s.limit }

func (s *nsizer) add(v any) {
	s.cells++
	switch x := v.(type) {
	case nil, bool, float64, int, int64:
		s.size += budget.ScalarBytes
	case string:
		s.size += budget.StringBytes + int64(len(x))
	case []any:
		s.size += budget.ArrayBytes
		for _, e := range x {
			if s.over() {
				return
			}
			s.add(e)
		}
	case map[string]any:
		s.size += budget.ArrayBytes
		for k, e := range x {
			if s.over() {
				return
			}
			s.size += budget.MemberBytes + int64(len(k))
			s.add(e)
		}
	case reflect.Value:
		if x.IsValid() && x.CanInterface() {
			s.add(x.Interface())
		}
	default:
		s.addReflect(reflect.ValueOf(v))
	}
}

// addReflect measures the typed slices, maps and pointers engine functions
// may return.
func (s *nsizer) addReflect(rv reflect.Value) {
	switch rv.Kind() {
	case reflect.String:
		s.size += budget.StringBytes + int64(rv.Len())
	case reflect.Slice, reflect.Array:
		s.size += budget.ArrayBytes
		for i := 0; i < rv.Len() && !s.over(); i++ {
			s.add(rv.Index(i).Interface())
		}
	case reflect.Map:
		s.size += budget.ArrayBytes
		it := rv.MapRange()
		for it.Next() && !s.over() {
			s.size += budget.MemberBytes + int64(len(it.Key().String()))
			s.add(it.Value().Interface())
		}
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() || rv.Elem().Kind() == reflect.Struct {
			// null, or a function.
			s.size += budget.ScalarBytes
			return
		}
		s.add(rv.Elem().Interface())
	default:
		s.size += budget.ScalarBytes
	}
}

// shallowLen is the number of items or members of an array or object, a
// step per 64 characters of a string, and 1 for anything else: the work a
// function that walks its argument once does on it.
func shallowLen(v reflect.Value) int64 {
	v = resolve(v)
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return int64(v.Len())
	case reflect.String:
		return 1 + int64(v.Len())/64
	}
	return 1
}

// resolve follows interfaces and pointers to the value they hold.
func resolve(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && !v.IsNil() {
		if v.Elem().Kind() == reflect.Struct {
			return v
		}
		v = v.Elem()
	}
	return v
}
