package jsonata

import (
	"errors"
	"math"
	"reflect"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jlib"
	"github.com/xiatechs/jsonata-go/jtypes"

	"github.com/stepwire/stepwire/emulator/asl/budget"
)

// The names under which each evaluation binds the budget's hooks, which
// the compiled tree calls (instrument.go). Like the depth counter's, they
// cannot be replaced by workflow variables.
const (
	rangeFunc  = "__stepwire_range"
	concatFunc = "__stepwire_concat"
	eachFunc   = "__stepwire_each"
	valueName  = "__stepwire_value"
)

// maxRangeItems is the engine's own bound on a range (JSONata's 1e7).
const maxRangeItems = 10_000_000

// run is the state of one evaluation: the functions in progress (depth
// guard), the budget's meter, and the first failure a hook raised. The
// engine rewraps an error returned by a function into plain text, so a
// hook's failure is kept here and reported as it was raised.
type run struct {
	depth int
	meter *budget.Meter
	err   error
}

// fail records err as the evaluation's failure, unless one is already
// recorded, and returns it.
func (r *run) fail(err error) error {
	if r.err == nil {
		r.err = err
	}
	return r.err
}

// errSpent is the panic that unwinds an evaluation past its budget: the
// engine would otherwise format every argument of every call in progress
// into the error's text, and those are the largest values the evaluation
// holds. Eval recovers it and reports the recorded failure.
var errSpent = errors.New("jsonata: budget spent")

// spent records a budget failure and unwinds the evaluation.
func (r *run) spent(err error) error {
	r.fail(err)
	panic(errSpent)
}

// step spends n steps of the budget.
func (r *run) step(n int64) error {
	if err := r.meter.Step(n); err != nil {
		return r.spent(err)
	}
	return nil
}

// measureCost is the steps a measurement spends: a step per 16 values
// visited, about the time a step stands for elsewhere (a function call).
func measureCost(cells int64) int64 { return 1 + cells/16 }

// built records a value built by the evaluation: its measurement costs
// steps (measureCost), its size counts against the memory budget.
func (r *run) built(v any) error {
	size, cells := nativeSize(v, r.meter.Room()+1)
	if err := r.step(measureCost(cells)); err != nil {
		return err
	}
	if err := r.meter.Alloc(size); err != nil {
		return r.spent(err)
	}
	return nil
}

// reserve fails when n more bytes cannot be built.
func (r *run) reserve(n int64) error {
	if err := r.meter.Reserve(n); err != nil {
		return r.spent(err)
	}
	return nil
}

// hooks are the budget's functions for one evaluation, by name: ranges,
// string concatenation and the values that can repeat outer values
// (instrument.go).
func (r *run) hooks(exts map[string]xia.Extension) map[string]xia.Extension {
	for _, h := range []string{rangeFunc, concatFunc, eachFunc} {
		exts[h] = xia.Extension{Func: r.hook(h).Interface()}
	}
	return exts
}

// hook is the function of one of the budget's hooks.
func (r *run) hook(name string) reflect.Value {
	switch name {
	case rangeFunc:
		return reflect.ValueOf(r.rangeOf)
	case concatFunc:
		return reflect.ValueOf(r.concat)
	}
	return reflect.ValueOf(r.each)
}

// rangeOf is the range operator lo..hi, checked against the budget before
// its array is allocated. It keeps the engine's rules: undefined when a
// side is undefined or lo > hi, T2003/T2004 for non-integers, at most
// 1e7 items.
func (r *run) rangeOf(lo, hi reflect.Value) ([]any, error) {
	l, lok, lint := rangeSide(lo)
	h, hok, hint := rangeSide(hi)
	switch {
	case lok && !lint:
		return nil, r.fail(&Error{Code: "T2003", Message: "The left side of the range operator (..) must evaluate to an integer"})
	case hok && !hint:
		return nil, r.fail(&Error{Code: "T2004", Message: "The right side of the range operator (..) must evaluate to an integer"})
	case !lok || !hok || l > h:
		return nil, jtypes.ErrUndefined
	}
	if h-l+1 > maxRangeItems {
		return nil, r.fail(&Error{Code: "D2014", Message: "The size of the sequence allocated by the range operator (..) must not exceed 1e7"})
	}
	n := int64(h-l) + 1
	if err := r.reserve(budget.ArrayBytes + n*budget.ScalarBytes); err != nil {
		return nil, err
	}
	// Filling the array is cheap; its memory is what bounds a range.
	if err := r.step(1 + n/16); err != nil {
		return nil, err
	}
	if err := r.meter.Alloc(budget.ArrayBytes + n*budget.ScalarBytes); err != nil {
		return nil, r.spent(err)
	}
	out := make([]any, n)
	for i := range out {
		out[i] = l + float64(i)
	}
	return out, nil
}

func rangeSide(v reflect.Value) (n float64, ok, integer bool) {
	if !v.IsValid() {
		return 0, false, false
	}
	n, isNum := jtypes.AsNumber(v)
	return n, true, isNum && n == math.Trunc(n)
}

// concat is the & operator: both sides as strings (undefined as ""),
// joined once the result is known to fit.
func (r *run) concat(a, b reflect.Value) (string, error) {
	sa, err := r.stringify(a)
	if err != nil {
		return "", err
	}
	sb, err := r.stringify(b)
	if err != nil {
		return "", err
	}
	n := int64(len(sa) + len(sb))
	if err := r.reserve(budget.StringBytes + n); err != nil {
		return "", err
	}
	if err := r.step(1 + n/1024); err != nil {
		return "", err
	}
	if err := r.meter.Alloc(budget.StringBytes + n); err != nil {
		return "", r.spent(err)
	}
	return sa + sb, nil
}

// stringify is the engine's string cast for &, after checking that a
// value written out as JSON text fits the budget.
func (r *run) stringify(v reflect.Value) (string, error) {
	if !v.IsValid() || !v.CanInterface() {
		return "", nil
	}
	if s, ok := v.Interface().(string); ok {
		return s, nil
	}
	if err := r.fits(v.Interface()); err != nil {
		return "", err
	}
	s, err := jlib.String(v.Interface())
	if err != nil {
		return "", r.fail(evalError(err))
	}
	return s, nil
}

// fits fails when v, written out, would not fit the memory budget.
func (r *run) fits(v any) error {
	size, cells := nativeSize(v, r.meter.Room()+1)
	if err := r.step(measureCost(cells)); err != nil {
		return err
	}
	return r.reserve(size)
}

// each counts the value of a path step, a filter or an array item that
// reads outer values: such a value is made once per item (a step) and is
// copied or flattened into the result, so it is measured as built.
func (r *run) each(v reflect.Value) (bool, error) {
	if err := r.step(1); err != nil {
		return false, err
	}
	if v.IsValid() && v.CanInterface() {
		if err := r.built(v.Interface()); err != nil {
			return false, err
		}
	}
	return true, nil
}
