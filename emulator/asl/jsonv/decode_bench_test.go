package jsonv

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecodeObject decodes objects of 10^3, 10^4 and 10^5 members,
// to keep decoding linear in the member count.
func BenchmarkDecodeObject(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`"k%d":%d`, i, i)
		}
		text := "{" + strings.Join(parts, ",") + "}"
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := DecodeString(text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
