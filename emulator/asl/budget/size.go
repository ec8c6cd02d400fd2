package budget

import "github.com/stepwire/stepwire/emulator/asl/jsonv"

// The estimates Size makes, in bytes of Go memory: every value takes an
// interface slot and its payload; strings and keys add their length.
const (
	// ScalarBytes is a null, a boolean or a number.
	ScalarBytes = 16
	// StringBytes is a string's header, before its characters.
	StringBytes = 32
	// ArrayBytes is an array's header, before its elements.
	ArrayBytes = 40
	// MemberBytes is an object member's overhead, before its key's
	// characters and its value.
	MemberBytes = 32
)

// Size estimates the memory a jsonv value holds, as a tree: a value
// reached twice counts twice, as it will when it is written out. It stops
// counting once the size passes limit, so its cost (cells, the values
// visited) stays within what the caller may spend.
func Size(v any, limit int64) (size, cells int64) {
	var s sizer
	s.limit = limit
	s.add(v)
	return s.size, s.cells
}

type sizer struct {
	limit, size, cells int64
}

func (s *sizer) over() bool { return s.size > s.limit }

func (s *sizer) add(v any) {
	s.cells++
	switch x := v.(type) {
	case string:
		s.size += StringBytes + int64(len(x))
	case []any:
		s.size += ArrayBytes
		for _, e := range x {
			if s.over() {
				return
			}
			s.add(e)
		}
	case *jsonv.Object:
		s.size += ArrayBytes
		for _, m := range x.Members {
			if s.over() {
				return
			}
			s.size += MemberBytes + int64(len(m.Key))
			s.add(m.Value)
		}
	default:
		s.size += ScalarBytes
	}
}
