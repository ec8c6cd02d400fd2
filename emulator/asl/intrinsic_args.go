package asl

import (
	"math"
	"unicode/utf16"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Argument checks and coercions of the intrinsic functions
// (docs/step-functions.md §1.5). A failed check is an EvalError, which the
// state reports as States.Runtime ("Function 'States.X' failed: ...").

func want(args []any, n int) error {
	if len(args) != n {
		return evalErrorf("expected %d arguments, got %d", n, len(args))
	}
	return nil
}

func argString(v any, i int) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", evalErrorf("argument %d must be a string, got %s", i+1, jsonv.TypeName(v))
	}
	return s, nil
}

// maxIntrinsicChars is the longest string States.Base64Encode,
// States.Base64Decode and States.Hash take: "up to 10,000 characters"
// (AWS's Intrinsic functions page), counted as Java counts a String's
// length, in UTF-16 code units.
const maxIntrinsicChars = 10000

// argText is argString for the arguments AWS limits to 10,000 characters.
func argText(v any, i int) (string, error) {
	s, err := argString(v, i)
	if err != nil {
		return "", err
	}
	if n := utf16Len(s); n > maxIntrinsicChars {
		return "", evalErrorf("argument %d has %d characters, more than the %d allowed", i+1, n, maxIntrinsicChars)
	}
	return s, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func argArray(v any, i int) ([]any, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, evalErrorf("argument %d must be an array, got %s", i+1, jsonv.TypeName(v))
	}
	return a, nil
}

// argInt is an integer argument: a number without a fraction.
func argInt(v any, i int) (int64, error) {
	n, ok := v.(jsonv.Number)
	if !ok {
		return 0, evalErrorf("argument %d must be a number, got %s", i+1, jsonv.TypeName(v))
	}
	x, ok := n.Int()
	if !ok {
		return 0, evalErrorf("argument %d must be an integer, got %s", i+1, n)
	}
	return x, nil
}

// argRounded is an integer argument where AWS's page says "If you specify
// a non-integer value ..., Step Functions will round it off to the nearest
// integer" (States.ArrayPartition's chunk size, States.ArrayRange,
// States.MathRandom's start and end, States.MathAdd): a number rounded
// half up as Java's Math.round does (2.5 gives 3, -2.5 gives -2; the
// recorded States.MathAdd cases), within the int range the page gives for
// States.MathAdd, -2147483648 to 2147483647.
func argRounded(v any, i int) (int64, error) {
	n, ok := v.(jsonv.Number)
	if !ok {
		return 0, evalErrorf("argument %d must be a number, got %s", i+1, jsonv.TypeName(v))
	}
	x, exact := n.Int()
	if !exact {
		x = int64(math.Max(math.MinInt32-1, math.Min(math.MaxInt32+1, math.Floor(n.Float()+0.5))))
	}
	if x < math.MinInt32 || x > math.MaxInt32 {
		return 0, evalErrorf("argument %d must be an integer from -2147483648 to 2147483647, got %s", i+1, n)
	}
	return x, nil
}
