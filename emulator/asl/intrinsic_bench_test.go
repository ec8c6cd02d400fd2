package asl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// benchSizes are the input sizes the intrinsic and JSONata benchmarks run
// over, to tell linear and n log n functions from quadratic ones.
var benchSizes = []int{1_000, 10_000, 100_000}

// benchArray is n numbers with about n/2 distinct values.
func benchArray(n int) []any {
	a := make([]any, n)
	for i := range a {
		a[i] = jsonv.IntNumber(int64(i / 2))
	}
	return a
}

// BenchmarkIntrinsics times the intrinsics whose cost grows with their
// input, at 10^3, 10^4 and 10^5 items.
func BenchmarkIntrinsics(b *testing.B) {
	calls := map[string]string{
		"ArrayUnique":    "States.ArrayUnique($.a)",
		"ArrayContains":  "States.ArrayContains($.a, -1)",
		"ArrayPartition": "States.ArrayPartition($.a, 7)",
		"ArrayLength":    "States.ArrayLength($.a)",
		"StringSplit":    "States.StringSplit($.s, ',')",
		"JsonToString":   "States.JsonToString($.a)",
		"JsonMerge":      "States.JsonMerge($.o, $.o, false)",
		"Format":         "States.Format('{} {}', $.s, $.a)",
	}
	for _, name := range []string{"ArrayUnique", "ArrayContains", "ArrayPartition", "ArrayLength", "StringSplit", "JsonToString", "JsonMerge", "Format"} {
		c, err := parseCall(calls[name])
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range benchSizes {
			env := &Env{Input: benchInput(n)}
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := c.Eval(env); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func benchInput(n int) *jsonv.Object {
	o := jsonv.NewObject(3)
	o.Set("a", benchArray(n))
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprint(i % 97)
	}
	o.Set("s", strings.Join(parts, ","))
	obj := jsonv.NewObject(n)
	for i := range n {
		obj.Members = append(obj.Members, jsonv.Member{Key: fmt.Sprint("k", i), Value: jsonv.IntNumber(int64(i))})
	}
	o.Set("o", obj)
	return o
}
