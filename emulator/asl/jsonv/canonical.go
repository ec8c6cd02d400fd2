package jsonv

import (
	"slices"
	"strconv"
	"strings"
)

// AppendCanonical appends to dst a text that is the same for two values
// exactly when Equal holds for them: numbers written from their float
// value, object members sorted by key. It lets equal values be found with
// a map instead of comparing every pair.
func AppendCanonical(dst []byte, v any) []byte {
	switch x := v.(type) {
	case Number:
		f := x.Float()
		if f == 0 {
			f = 0 // -0 equals 0
		}
		dst = append(dst, '#')
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendCanonical(dst, e)
		}
		return append(dst, ']')
	case *Object:
		ms := slices.Clone(x.Members)
		slices.SortFunc(ms, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
		dst = append(dst, '{')
		for i, m := range ms {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, m.Key)
			dst = append(dst, ':')
			dst = AppendCanonical(dst, m.Value)
		}
		return append(dst, '}')
	}
	return Append(dst, v)
}
