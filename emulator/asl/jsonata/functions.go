package jsonata

import (
	"math"
	"reflect"
	"strings"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jlib"
	"github.com/xiatechs/jsonata-go/jtypes"

	"github.com/stepwire/stepwire/emulator/asl/digest"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// functionsFor builds the Step Functions additions to JSONata ($partition,
// $range, $hash, $parse, $random, $uuid) and the clock and randomness
// functions rebound to env ($now, $millis, $shuffle) — only those the
// expression mentions.
func functionsFor(names []string, env *Env) map[string]xia.Extension {
	var out map[string]xia.Extension
	for _, n := range names {
		f := function(n, env)
		if f == nil {
			continue
		}
		if out == nil {
			out = map[string]xia.Extension{}
		}
		out[n] = xia.Extension{Func: f}
	}
	return out
}

func function(name string, env *Env) any {
	switch name {
	case "partition":
		return fnPartition
	case "range":
		return fnRange
	case "hash":
		return fnHash
	case "parse":
		return fnParse
	case "uuid":
		return func() (string, error) {
			if env.UUID == nil {
				return "", &Error{Code: "D3137", Message: "$uuid() has no UUID source"}
			}
			return env.UUID(), nil
		}
	case "random":
		return func(seed jtypes.OptionalFloat64) float64 { return random(env, seed) }
	case "millis":
		return func() int64 { return env.Now.UnixMilli() }
	case "now":
		return func(picture, tz jtypes.OptionalString) (string, error) {
			return jlib.FromMillis(env.Now.UnixMilli(), picture, tz)
		}
	case "shuffle":
		return func(v reflect.Value) any { return shuffle(env, v) }
	}
	return nil
}

// fnPartition is $partition(array, size): the array in chunks of size.
func fnPartition(arr reflect.Value, size float64) (any, error) {
	items, ok := arrayOf(arr)
	if !ok || size <= 0 || size != math.Trunc(size) {
		return nil, &Error{Code: "T0410", Message: `Argument 1 of function "partition" does not match function signature`}
	}
	n := int(size)
	out := []any{}
	for i := 0; i < len(items); i += n {
		out = append(out, append([]any{}, items[i:min(i+n, len(items))]...))
	}
	return out, nil
}

// fnRange is $range(start, end, step): start, start+step, ... up to end
// inclusive; a single element comes back as that element, like a JSONata
// sequence.
func fnRange(start, end, step float64) (any, error) {
	if step == 0 || start != math.Trunc(start) || end != math.Trunc(end) || step != math.Trunc(step) {
		return nil, &Error{Code: "T0410", Message: `Argument 1 of function "range" does not match function signature`}
	}
	out := []any{}
	for v := start; (step > 0 && v <= end) || (step < 0 && v >= end); v += step {
		if len(out) >= 1000 {
			return nil, &Error{Code: "D2014", Message: "The size of the sequence allocated by $range must not exceed 1000"}
		}
		out = append(out, v)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}

// fnHash is $hash(value, algorithm): the hex digest of a string.
func fnHash(value string, alg jtypes.OptionalString) (string, error) {
	name := "SHA-256"
	if alg.IsSet() {
		name = alg.String
	}
	h, ok := digest.Hex(strings.ToUpper(name), value)
	if !ok {
		return "", &Error{Code: "D3137", Message: "Unsupported hash algorithm: " + name}
	}
	return h, nil
}

// fnParse is $parse(text): the JSON value text holds.
func fnParse(text string) (any, error) {
	v, err := jsonv.DecodeString(text)
	if err != nil {
		return nil, &Error{Code: "D3137", Message: "Unable to parse JSON: " + err.Error()}
	}
	return toNative(v), nil
}

// random is $random([seed]): a number in [0, 1) from the injected source,
// or a fixed one for a seed.
func random(env *Env, seed jtypes.OptionalFloat64) float64 {
	const span = 1 << 53
	if seed.IsSet() {
		return float64(splitmix(uint64(int64(seed.Float64)))>>11) / span
	}
	if env.Random == nil {
		return 0
	}
	return float64(env.Random(0, span-1)) / span
}

// splitmix is the SplitMix64 finaliser: a fixed mapping from seed to
// pseudo-random bits.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// shuffle is $shuffle(array) with the injected random source.
func shuffle(env *Env, v reflect.Value) any {
	items, ok := arrayOf(v)
	if !ok {
		return v.Interface()
	}
	out := append([]any{}, items...)
	for i := len(out) - 1; i > 0 && env.Random != nil; i-- {
		j := env.Random(0, int64(i))
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// arrayOf reads an engine value as a list; a single value is a list of one.
func arrayOf(v reflect.Value) ([]any, bool) {
	v = jtypes.Resolve(v)
	if !v.IsValid() {
		return nil, false
	}
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return []any{v.Interface()}, true
	}
	out := make([]any, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface()
	}
	return out, true
}
