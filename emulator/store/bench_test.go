package store

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

// The workload of docs/durability.md §1: executions append small history
// events and update their summary (one Apply from each of many concurrent
// requests), read one execution, and list a state machine's executions of
// one status through an index bucket.

var event = []byte(strings.Repeat("e", 300))

func BenchmarkAppend(b *testing.B) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			s := im.open(b)
			defer s.Close()
			var n atomic.Int64
			b.SetParallelism(8) // many requests at once, as under load
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					exec := fmt.Sprintf("exec-%04d", i%1000)
					err := s.Apply(Put("hist", fmt.Sprintf("%s/%08d", exec, i), event),
						Put("exec", exec, event[:200]))
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkAppendSerial is one caller at a time: the latency of one
// commit, fsync included.
func BenchmarkAppendSerial(b *testing.B) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			s := im.open(b)
			defer s.Close()
			for i := 0; b.Loop(); i++ {
				if err := s.Apply(Put("hist", fmt.Sprintf("x/%08d", i), event)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func fill(b *testing.B, s Store, n int) {
	b.Helper()
	var ops []Op
	for i := range n {
		id := fmt.Sprintf("exec-%06d", i)
		status := []string{"RUNNING", "SUCCEEDED"}[i/10%2]
		ops = append(ops, Put("exec", id, event[:200]),
			Put("bymachine", fmt.Sprintf("sm-%d/%s/%s", i%10, status, id), nil))
		if len(ops) >= 2000 {
			if err := s.Apply(ops...); err != nil {
				b.Fatal(err)
			}
			ops = nil
		}
	}
	if err := s.Apply(ops...); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkGet(b *testing.B) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			s := im.open(b)
			defer s.Close()
			fill(b, s, 10000)
			for i := 0; b.Loop(); i++ {
				if _, ok, err := s.Get("exec", fmt.Sprintf("exec-%06d", i*7919%10000)); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

// BenchmarkList lists the 500 RUNNING executions of one state machine
// among 10,000.
func BenchmarkList(b *testing.B) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			s := im.open(b)
			defer s.Close()
			fill(b, s, 10000)
			for b.Loop() {
				n := 0
				if err := s.Scan("bymachine", "sm-3/RUNNING/", func(string, []byte) error { n++; return nil }); err != nil || n != 500 {
					b.Fatal(n, err)
				}
			}
		})
	}
}
