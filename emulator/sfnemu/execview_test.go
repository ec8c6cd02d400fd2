package sfnemu

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A view walks the executions not freed, newest first, in chunks, and
// stays what it was when later executions are added or the list is
// compacted.
func TestExecView(t *testing.T) {
	sm := &stateMachine{}
	for i := range 10 {
		sm.execs = append(sm.execs, &execution{name: string(rune('a' + i)), freed: i%3 == 0})
		if i%3 == 0 {
			sm.freedInExecs++
		}
	}
	names := func(es []*execution) (s string) {
		for _, e := range es {
			s += e.name
		}
		return s
	}
	v := sm.view()
	require.Equal(t, 6, v.live) // a, d, g and j are freed
	v.skip(1)                   // i
	require.Equal(t, "hfe", names(v.next(3)))
	sm.execs = append(sm.execs, &execution{name: "k"}) // after the view: not in it
	sm.execs[1].freed = true                           // b freed since: skipped
	require.Equal(t, "c", names(v.next(3)))
	require.Empty(t, v.next(3))
}
