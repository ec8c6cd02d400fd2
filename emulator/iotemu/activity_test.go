package iotemu

import (
	"slices"
	"testing"
)

func TestRingKeepsTheNewestWithinItsSize(t *testing.T) {
	var r ring[int]
	for i := range 3 {
		r.add(4, i)
	}
	if got := r.list(); !slices.Equal(got, []int{0, 1, 2}) {
		t.Fatalf("not full: %v", got)
	}
	for i := 3; i < 11; i++ {
		r.add(4, i)
	}
	if got := r.list(); !slices.Equal(got, []int{7, 8, 9, 10}) || len(r.items) != 4 {
		t.Fatalf("wrapped: %v (%d items kept)", got, len(r.items))
	}
}
