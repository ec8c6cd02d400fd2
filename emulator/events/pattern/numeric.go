package pattern

import "strconv"

// bound is one end of a numeric range.
type bound struct {
	set, open bool
	at        float64
}

// numericRange is a compiled "numeric" operator.
type numericRange struct {
	lower, upper bound
}

func (r numericRange) contains(x float64) bool {
	if r.lower.set && (x < r.lower.at || (r.lower.open && x == r.lower.at)) {
		return false
	}
	if r.upper.set && (x > r.upper.at || (r.upper.open && x == r.upper.at)) {
		return false
	}
	return true
}

// compileNumeric compiles {"numeric": [op, n]} or {"numeric": [">"|">=", n,
// "<"|"<=", m]}. Only JSON numbers match: the string "300" and null do not
// (docs/eventbridge.md §2.2).
func compileNumeric(v jvalue) (cond, *Error) {
	if v.kind != jArray {
		return cond{}, invalid("Value of numeric must be an array.")
	}
	r, err := numericTerms(v.elems)
	if err != nil {
		return cond{}, err
	}
	return test(func(x value) bool { return x.kind == jNumber && x.ok && r.contains(x.num) }), nil
}

func numericTerms(el []jvalue) (numericRange, *Error) {
	if len(el) == 0 {
		return numericRange{}, invalid("Invalid member in numeric match: ]")
	}
	if el[0].kind != jString {
		return numericRange{}, invalid("Invalid member in numeric match: %s", tokenText(el[0]))
	}
	op := el[0].text
	name := op
	switch op {
	case "=":
		name = "equals"
	case ">", ">=", "<", "<=":
	default:
		return numericRange{}, invalid("Unrecognized numeric range operator: %s", op)
	}
	n, ok := numericAt(el, 1)
	if !ok {
		return numericRange{}, invalid("Value of %s must be numeric", name)
	}
	b := bound{set: true, at: n, open: op == ">" || op == "<"}
	switch op {
	case "=":
		return oneTerm(el, numericRange{lower: b, upper: b})
	case "<", "<=":
		return oneTerm(el, numericRange{upper: b})
	}
	if len(el) == 2 {
		return numericRange{lower: b}, nil
	}
	return upperTerm(el[2:], numericRange{lower: b})
}

// oneTerm refuses terms after a single comparison.
func oneTerm(el []jvalue, r numericRange) (numericRange, *Error) {
	if len(el) > 2 {
		return numericRange{}, invalid(tooManyNumeric)
	}
	return r, nil
}

// upperTerm reads the "<" or "<=" half of a range.
func upperTerm(el []jvalue, r numericRange) (numericRange, *Error) {
	if el[0].kind != jString {
		return numericRange{}, invalid("Bad value in numeric range: %s", tokenText(el[0]))
	}
	op := el[0].text
	if op != "<" && op != "<=" {
		return numericRange{}, invalid("Bad numeric range operator: %s", op)
	}
	n, ok := numericAt(el, 1)
	if !ok {
		return numericRange{}, invalid("Value of %s must be numeric", op)
	}
	if len(el) > 2 {
		return numericRange{}, invalid("Too many terms in numeric range expression")
	}
	r.upper = bound{set: true, at: n, open: op == "<"}
	return r, nil
}

// numericAt returns el[i] as a number.
func numericAt(el []jvalue, i int) (float64, bool) {
	if i >= len(el) || el[i].kind != jNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(el[i].text, 64)
	return f, err == nil
}
