package budget

import (
	"errors"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// The zero Limits are the defaults; past a budget every later call fails
// with the same error, naming the limit and its option.
func TestMeter(t *testing.T) {
	m := New(Limits{})
	if err := m.Step(DefaultSteps); err != nil {
		t.Fatal(err)
	}
	if err := m.Alloc(DefaultBytes); err != nil {
		t.Fatal(err)
	}
	err := m.Step(1)
	var ex *Exceeded
	if !errors.As(err, &ex) || ex.Limit != Steps || ex.Max != DefaultSteps {
		t.Fatalf("err %v", err)
	}
	if m.Alloc(0) != err || m.Err() != err {
		t.Error("a spent meter must keep failing with its first error")
	}
	want := "The evaluation exceeded stepwire's budget of 5000000 steps (interp.Options.MaxEvalSteps)."
	if err.Error() != want {
		t.Errorf("cause %q", err)
	}

	m = New(Limits{Bytes: 100})
	if err := m.Reserve(101); err == nil || err.(*Exceeded).Limit != Bytes {
		t.Errorf("reserve past the budget: %v", err)
	}
}

// Interrupt is polled every PollEvery steps, and true ends the evaluation.
func TestInterrupt(t *testing.T) {
	calls := 0
	m := New(Limits{Interrupt: func() bool { calls++; return calls == 3 }})
	var err error
	for i := 0; err == nil && i < 10*PollEvery; i++ {
		err = m.Step(1)
	}
	var ex *Exceeded
	if !errors.As(err, &ex) || ex.Limit != Interrupted || calls != 3 {
		t.Fatalf("err %v after %d polls", err, calls)
	}
}

// Size counts a shared value each time it is reached and stops past its
// limit.
func TestSize(t *testing.T) {
	leaf := []any{jsonv.Number("1"), "abc"}
	shared := []any{leaf, leaf}
	one, _ := Size(leaf, 1<<20)
	two, _ := Size(shared, 1<<20)
	if two != ArrayBytes+2*one {
		t.Errorf("shared: %d, want %d", two, ArrayBytes+2*one)
	}
	var v any = "x"
	for range 60 {
		v = []any{v, v}
	}
	size, cells := Size(v, 1000)
	if size <= 1000 || cells > 200 {
		t.Errorf("bounded size: %d after %d cells", size, cells)
	}
}
