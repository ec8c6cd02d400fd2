package store

import (
	"testing"
)

// countingStore counts the ops applied to it.
type countingStore struct {
	*Mem
	ops int
}

func (c *countingStore) Apply(ops ...Op) error {
	c.ops += len(ops)
	return c.Mem.Apply(ops...)
}

// TestEntriesWriteOnlyChanges: a save writes the changed and new
// entities and deletes the gone ones, nothing else; Load reads back the
// last save.
func TestEntriesWriteOnlyChanges(t *testing.T) {
	st := &countingStore{Mem: NewMem()}
	e := NewEntries(st, "b")
	state := map[string][]byte{"a": []byte("1"), "b": []byte("2"), "c": []byte("3")}
	save := func() {
		t.Helper()
		if err := e.Save(func() (map[string][]byte, error) { return state, nil }); err != nil {
			t.Fatal(err)
		}
	}
	save()
	cases := []struct {
		name    string
		change  func()
		wantOps int
	}{
		{"unchanged", func() {}, 0},
		{"one changed", func() { state = map[string][]byte{"a": []byte("1"), "b": []byte("two"), "c": []byte("3")} }, 1},
		{"one gone, one new", func() { state = map[string][]byte{"a": []byte("1"), "b": []byte("two"), "d": []byte("4")} }, 2},
	}
	for _, tc := range cases {
		st.ops = 0
		tc.change()
		save()
		if st.ops != tc.wantOps {
			t.Errorf("%s: %d ops, want %d", tc.name, st.ops, tc.wantOps)
		}
	}
	got, err := NewEntries(st, "b").Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || string(got["b"]) != "two" || string(got["d"]) != "4" || got["c"] != nil {
		t.Errorf("Load = %q", got)
	}
}
