package asl

import "testing"

func TestFailureTellsEmptyFromAbsent(t *testing.T) {
	f := NewFailure(StatesRuntime, "")
	if f.ErrorPtr() == nil || *f.ErrorPtr() != "States.Runtime" || f.CausePtr() == nil || *f.CausePtr() != "" {
		t.Fatalf("NewFailure: %+v", f)
	}
	f = ErrorOnly(StatesTimeout)
	if f.Name() != StatesTimeout || f.CausePtr() != nil {
		t.Fatalf("ErrorOnly: %+v", f)
	}
	if (Failure{}).ErrorPtr() != nil {
		t.Fatal("the zero Failure has an error")
	}
}
