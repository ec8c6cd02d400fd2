package asl

import (
	"encoding/base64"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/digest"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

type intrinsicFunc func(env *Env, args []any) (any, error)

var intrinsics map[string]intrinsicFunc

func init() {
	intrinsics = map[string]intrinsicFunc{
		"States.Format":         fnFormat,
		"States.StringToJson":   fnStringToJSON,
		"States.JsonToString":   fnJSONToString,
		"States.Array":          fnArray,
		"States.ArrayPartition": fnArrayPartition,
		"States.ArrayContains":  fnArrayContains,
		"States.ArrayRange":     fnArrayRange,
		"States.ArrayGetItem":   fnArrayGetItem,
		"States.ArrayLength":    fnArrayLength,
		"States.ArrayUnique":    fnArrayUnique,
		"States.Base64Encode":   fnBase64Encode,
		"States.Base64Decode":   fnBase64Decode,
		"States.Hash":           fnHash,
		"States.JsonMerge":      fnJSONMerge,
		"States.MathRandom":     fnMathRandom,
		"States.MathAdd":        fnMathAdd,
		"States.StringSplit":    fnStringSplit,
		"States.UUID":           fnUUID,
	}
}

// Eval evaluates the call, within env's budgets.
func (c *Call) Eval(env *Env) (any, error) { return c.eval(env, meterFor(env)) }

func (c *Call) eval(env *Env, m *budget.Meter) (any, error) {
	args := make([]any, len(c.Args))
	for i := range c.Args {
		v, err := c.Args[i].eval(env, m)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if err := chargeCall(m, c.Name, args); err != nil {
		return nil, evalErrorf("Function '%s' failed: %s", c.Name, err.(*EvalError).Msg)
	}
	v, err := c.fn(env, args)
	if err == nil {
		err = chargeBuilt(m, v)
	}
	if err != nil {
		return nil, evalErrorf("Function '%s' failed: %s", c.Name, err.(*EvalError).Msg)
	}
	return v, nil
}

func fnFormat(_ *Env, args []any) (any, error) {
	if len(args) == 0 {
		return nil, evalErrorf("missing format string")
	}
	tmpl, err := argString(args[0], 0)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	next := 1
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '{' && i+1 < len(tmpl) && tmpl[i+1] == '}' {
			if next >= len(args) {
				return nil, evalErrorf("not enough arguments for the template")
			}
			b.WriteString(formatArg(args[next]))
			next++
			i++
			continue
		}
		b.WriteByte(tmpl[i])
	}
	if next != len(args) {
		return nil, evalErrorf("too many arguments for the template")
	}
	return b.String(), nil
}

// formatArg renders a value the way States.Format does (Java toString of
// the parsed value).
func formatArg(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *jsonv.Object:
		parts := make([]string, len(x.Members))
		for i, m := range x.Members {
			parts[i] = m.Key + "=" + formatArg(m.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatArg(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return jsonv.EncodeString(v)
}

func fnStringToJSON(_ *Env, args []any) (any, error) {
	if err := want(args, 1); err != nil {
		return nil, err
	}
	s, err := argString(args[0], 0)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, derr := jsonv.DecodeString(s)
	if derr != nil {
		return nil, evalErrorf("invalid JSON string: %s", s)
	}
	return v, nil
}

func fnJSONToString(_ *Env, args []any) (any, error) {
	if err := want(args, 1); err != nil {
		return nil, err
	}
	return jsonv.EncodeString(args[0]), nil
}

func fnArray(_ *Env, args []any) (any, error) { return append([]any{}, args...), nil }

func fnArrayPartition(_ *Env, args []any) (any, error) {
	if err := want(args, 2); err != nil {
		return nil, err
	}
	a, err := argArray(args[0], 0)
	if err != nil {
		return nil, err
	}
	n, err := argRounded(args[1], 1)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, evalErrorf("chunk size must be positive")
	}
	out := []any{}
	for i := 0; i < len(a); i += int(n) {
		end := min(len(a), i+int(n))
		out = append(out, append([]any{}, a[i:end]...))
	}
	return out, nil
}

func fnArrayContains(_ *Env, args []any) (any, error) {
	if err := want(args, 2); err != nil {
		return nil, err
	}
	a, err := argArray(args[0], 0)
	if err != nil {
		return nil, err
	}
	for _, e := range a {
		if jsonv.Equal(e, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

func fnArrayRange(_ *Env, args []any) (any, error) {
	if err := want(args, 3); err != nil {
		return nil, err
	}
	var n [3]int64
	for i := range n {
		v, err := argRounded(args[i], i)
		if err != nil {
			return nil, err
		}
		n[i] = v
	}
	if n[2] == 0 {
		return nil, evalErrorf("step must not be zero")
	}
	out := []any{}
	for x := n[0]; (n[2] > 0 && x <= n[1]) || (n[2] < 0 && x >= n[1]); x += n[2] {
		if len(out) == 1000 {
			return nil, evalErrorf("the range exceeds 1000 elements")
		}
		out = append(out, jsonv.IntNumber(x))
	}
	return out, nil
}

func fnArrayGetItem(_ *Env, args []any) (any, error) {
	if err := want(args, 2); err != nil {
		return nil, err
	}
	a, err := argArray(args[0], 0)
	if err != nil {
		return nil, err
	}
	i, err := argInt(args[1], 1)
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= int64(len(a)) {
		return nil, evalErrorf("index %d out of bounds", i)
	}
	return a[i], nil
}

func fnArrayLength(_ *Env, args []any) (any, error) {
	if err := want(args, 1); err != nil {
		return nil, err
	}
	a, err := argArray(args[0], 0)
	if err != nil {
		return nil, err
	}
	return jsonv.IntNumber(int64(len(a))), nil
}

// fnArrayUnique keeps the first of each group of equal items, in order.
// Equal items have the same canonical text, so one map lookup per item
// finds the repeats (linear, where comparing every pair was quadratic).
func fnArrayUnique(_ *Env, args []any) (any, error) {
	if err := want(args, 1); err != nil {
		return nil, err
	}
	a, err := argArray(args[0], 0)
	if err != nil {
		return nil, err
	}
	out := []any{}
	seen := make(map[string]struct{}, len(a))
	var key []byte
	for _, e := range a {
		key = jsonv.AppendCanonical(key[:0], e)
		if _, dup := seen[string(key)]; dup {
			continue
		}
		seen[string(key)] = struct{}{}
		out = append(out, e)
	}
	return out, nil
}

func fnBase64Encode(_ *Env, args []any) (any, error) {
	if err := want(args, 1); err != nil {
		return nil, err
	}
	s, err := argText(args[0], 0)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func fnBase64Decode(_ *Env, args []any) (any, error) {
	if err := want(args, 1); err != nil {
		return nil, err
	}
	s, err := argText(args[0], 0)
	if err != nil {
		return nil, err
	}
	b, derr := base64.StdEncoding.DecodeString(s)
	if derr != nil {
		return nil, evalErrorf("invalid base64 input")
	}
	return string(b), nil
}

func fnHash(_ *Env, args []any) (any, error) {
	if err := want(args, 2); err != nil {
		return nil, err
	}
	data, err := argText(args[0], 0)
	if err != nil {
		return nil, err
	}
	alg, err := argString(args[1], 1)
	if err != nil {
		return nil, err
	}
	h, ok := digest.Hex(alg, data)
	if !ok {
		return nil, evalErrorf("unsupported hash algorithm %q", alg)
	}
	return h, nil
}

func fnJSONMerge(_ *Env, args []any) (any, error) {
	if err := want(args, 3); err != nil {
		return nil, err
	}
	a, ok1 := args[0].(*jsonv.Object)
	b, ok2 := args[1].(*jsonv.Object)
	if !ok1 || !ok2 {
		return nil, evalErrorf("both arguments must be objects")
	}
	if deep, _ := args[2].(bool); deep {
		return nil, evalErrorf("deep merge is not supported")
	}
	return mergeShallow(a, b), nil
}

// mergeShallow is a's members, those b also has taking b's value, then b's
// other members: jsonv.Object.Set per member, with an index of the keys so
// that merging large objects stays linear.
func mergeShallow(a, b *jsonv.Object) *jsonv.Object {
	out := &jsonv.Object{Members: make([]jsonv.Member, len(a.Members), len(a.Members)+len(b.Members))}
	copy(out.Members, a.Members)
	at := make(map[string]int, len(a.Members)+len(b.Members))
	for i, m := range out.Members {
		if _, ok := at[m.Key]; !ok {
			at[m.Key] = i
		}
	}
	for _, m := range b.Members {
		if i, ok := at[m.Key]; ok {
			out.Members[i].Value = m.Value
			continue
		}
		at[m.Key] = len(out.Members)
		out.Members = append(out.Members, m)
	}
	return out
}

func fnMathRandom(env *Env, args []any) (any, error) {
	if len(args) < 2 || len(args) > 3 {
		return nil, evalErrorf("expected 2 or 3 arguments, got %d", len(args))
	}
	lo, err := argRounded(args[0], 0)
	if err != nil {
		return nil, err
	}
	hi, err := argRounded(args[1], 1)
	if err != nil {
		return nil, err
	}
	if hi <= lo {
		return nil, evalErrorf("the end number %d must be greater than the start number %d", hi, lo)
	}
	if env.Random == nil {
		return nil, evalErrorf("no random source configured")
	}
	// "between the specified start number (inclusive) and end number
	// (exclusive)" (AWS's Intrinsic functions page).
	return jsonv.IntNumber(env.Random(lo, hi-1)), nil
}

func fnMathAdd(_ *Env, args []any) (any, error) {
	if err := want(args, 2); err != nil {
		return nil, err
	}
	var sum int64
	for i, a := range args {
		n, err := argRounded(a, i)
		if err != nil {
			return nil, err
		}
		sum += n
	}
	return jsonv.IntNumber(sum), nil
}

func fnStringSplit(_ *Env, args []any) (any, error) {
	if err := want(args, 2); err != nil {
		return nil, err
	}
	s, err := argString(args[0], 0)
	if err != nil {
		return nil, err
	}
	delims, err := argString(args[1], 1)
	if err != nil {
		return nil, err
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func fnUUID(env *Env, args []any) (any, error) {
	if err := want(args, 0); err != nil {
		return nil, err
	}
	if env.UUID == nil {
		return nil, evalErrorf("no UUID source configured")
	}
	return env.UUID(), nil
}
