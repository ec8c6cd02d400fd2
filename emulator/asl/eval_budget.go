package asl

import (
	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// This file bounds JSONPath and intrinsic evaluations (package budget).
// One meter serves a whole expression: a "key.$" path or an intrinsic call
// with its nested calls. Past a budget the evaluation fails as any
// intrinsic or path failure does, with States.Runtime
// (docs/step-functions.md §1.5, §1.8), the cause naming the limit.

// meterFor starts the meter of one expression's evaluation.
func meterFor(env *Env) *budget.Meter { return budget.New(env.Limits) }

// budgetError is a budget failure as an evaluation error.
func budgetError(err error) error { return &EvalError{Msg: err.Error()} }

// chargeCall spends a call's steps, a step per item or member its
// arguments hold at their top level (a string: per 64 bytes), and checks
// that the functions writing out whole values, whose results are as large
// as their arguments written out, will fit.
func chargeCall(m *budget.Meter, name string, args []any) error {
	cost := int64(1)
	for _, a := range args {
		cost += shallow(a)
	}
	if err := m.Step(cost); err != nil {
		return budgetError(err)
	}
	switch name {
	case "States.Format", "States.JsonToString", "States.ArrayUnique", "States.ArrayContains", "States.Hash":
		for _, a := range args {
			size, cells := budget.Size(a, m.Room()+1)
			if err := m.Step(1 + cells/16); err != nil {
				return budgetError(err)
			}
			if err := m.Reserve(size); err != nil {
				return budgetError(err)
			}
		}
	}
	return nil
}

// chargeBuilt measures a value the evaluation built.
func chargeBuilt(m *budget.Meter, v any) error {
	size, cells := budget.Size(v, m.Room()+1)
	if err := m.Step(1 + cells/16); err != nil {
		return budgetError(err)
	}
	if err := m.Alloc(size); err != nil {
		return budgetError(err)
	}
	return nil
}

func shallow(v any) int64 {
	switch x := v.(type) {
	case []any:
		return int64(len(x))
	case *jsonv.Object:
		return int64(len(x.Members))
	case string:
		return int64(len(x)) / 64
	}
	return 0
}
