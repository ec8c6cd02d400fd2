package jsonata

import (
	"errors"
	"fmt"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jparse"
)

// evalCodes maps the engine's evaluation errors to the codes and texts of
// the reference JSONata (2.0.x), which Step Functions quotes in its
// causes ("... threw an error during evaluation. T1006: Attempted to
// invoke a non-function").
var evalCodes = map[xia.ErrType]Error{
	xia.ErrNonIntegerLHS:      {"T2003", "The left side of the range operator (..) must evaluate to an integer"},
	xia.ErrNonIntegerRHS:      {"T2004", "The right side of the range operator (..) must evaluate to an integer"},
	xia.ErrNonNumberLHS:       {"T2001", "The left side of the %q operator must evaluate to a number"},
	xia.ErrNonNumberRHS:       {"T2002", "The right side of the %q operator must evaluate to a number"},
	xia.ErrNonComparableLHS:   {"T2010", "The expressions either side of operator %q must evaluate to numeric or string values"},
	xia.ErrNonComparableRHS:   {"T2010", "The expressions either side of operator %q must evaluate to numeric or string values"},
	xia.ErrTypeMismatch:       {"T2009", "The values either side of operator %q must be of the same data type"},
	xia.ErrNonCallable:        {"T1006", "Attempted to invoke a non-function"},
	xia.ErrNonCallableApply:   {"T2006", "The right side of the function application operator ~> must be a function"},
	xia.ErrNonCallablePartial: {"T1008", "Attempted to partially apply a non-function"},
	xia.ErrNumberInf:          {"D1001", "Number out of range"},
	xia.ErrNumberNaN:          {"D1001", "Number out of range"},
	xia.ErrMaxRangeItems:      {"D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7"},
	xia.ErrIllegalKey:         {"T1003", "Key in object structure must evaluate to a string"},
	xia.ErrDuplicateKey:       {"D1009", "Multiple key definitions evaluate to same key: %q"},
	xia.ErrClone:              {"D1002", "Cannot clone the object"},
	xia.ErrIllegalUpdate:      {"T2011", "The insert/update clause of the transform expression must evaluate to an object"},
	xia.ErrIllegalDelete:      {"T2012", "The delete clause of the transform expression must evaluate to a string or array of strings"},
	xia.ErrNonSortable:        {"T2008", "The expressions within an order-by clause must evaluate to numeric or string values"},
	xia.ErrSortMismatch:       {"T2007", "Type mismatch when comparing values in order-by clause"},
}

// evalError turns an engine error into an *Error.
func evalError(err error) error {
	var own *Error
	if errors.As(err, &own) {
		return own
	}
	var ee *xia.EvalError
	if errors.As(err, &ee) {
		if e, ok := evalCodes[ee.Type]; ok {
			if containsVerb(e.Message) {
				e.Message = fmt.Sprintf(e.Message, ee.Value)
			}
			return &e
		}
	}
	var ac *xia.ArgCountError
	if errors.As(err, &ac) {
		return &Error{Code: "T0410", Message: fmt.Sprintf("Argument %d of function %q does not match function signature", min(ac.Expected, ac.Received)+1, ac.Func)}
	}
	var at *xia.ArgTypeError
	if errors.As(err, &at) {
		return &Error{Code: "T0410", Message: fmt.Sprintf("Argument %d of function %q does not match function signature", at.Which, at.Func)}
	}
	return &Error{Code: "D3001", Message: err.Error()}
}

func containsVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 'q' {
			return true
		}
	}
	return false
}

// syntaxError turns a parse failure into an *Error with a syntax code.
func syntaxError(err error) error {
	var pe *jparse.Error
	if errors.As(err, &pe) {
		code := "S0201"
		switch pe.Type {
		case jparse.ErrUnterminatedString:
			code = "S0101"
		case jparse.ErrInvalidNumber, jparse.ErrNumberRange:
			code = "S0102"
		case jparse.ErrIllegalEscape, jparse.ErrIllegalEscapeHex:
			code = "S0103"
		case jparse.ErrUnterminatedName:
			code = "S0105"
		case jparse.ErrUnexpectedEOF, jparse.ErrMissingToken:
			code = "S0203"
		case jparse.ErrUnterminatedRegex, jparse.ErrEmptyRegex, jparse.ErrInvalidRegex:
			code = "S0302"
		}
		return &Error{Code: code, Message: pe.Error()}
	}
	return &Error{Code: "S0201", Message: err.Error()}
}
