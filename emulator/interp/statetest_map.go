package interp

import (
	"github.com/stepwire/stepwire/emulator/asl"
)

// TestState of a Map state (docs/step-functions.md §8): what its
// inspectionData shows of the items, and whether the iteration failures
// the request gives (stateConfiguration.mapIterationFailureCount) go over
// the tolerated failure threshold. A mocked Map runs none of its
// iterations, so both are worked out from the state's fields and input.

// inspectMap fills a Map state's steps: ItemsPath, ItemSelector,
// ItemBatcher, MaxConcurrency and, for a Distributed Map, its tolerated
// failures.
func (t *StateTest) inspectMap(m *Machine, s *asl.Map, eff any, in *Inspection) {
	items, err := m.mapItems(s, eff)
	if err != nil {
		return
	}
	in.AfterItemsPath = text(items)
	inputs, err := m.itemInputs(s, eff, items)
	if err != nil {
		return
	}
	if s.ItemSelector != nil {
		in.AfterItemSelector = text(inputs)
	}
	limit := s.MaxConcurrency
	if s.MaxConcurrencyPath != nil {
		if limit, err = m.maxConcurrency(s.MaxConcurrencyPath, eff); err != nil {
			return
		}
	}
	in.MaxConcurrency = intPtr(limit)
	d := s.Distributed
	if d == nil {
		return
	}
	if d.Batcher != nil {
		maxItems, maxBytes, batchInput, err := m.batchLimits(d.Batcher, eff)
		if err != nil {
			return
		}
		batches, _ := batch(inputs, maxItems, maxBytes, batchInput)
		in.AfterItemBatcher = text(batches)
	}
	if run, ok := tolerance(m, d, eff); ok {
		in.ToleratedFailureCount = intPtr(run.info.ToleratedFailureCount)
		in.ToleratedFailurePercentage = &run.info.ToleratedFailurePercentage
	}
}

// tolerance resolves a Distributed Map's tolerated failures on the
// effective input eff, as a Map Run would; false when a value is bad (the
// state would fail with States.Runtime).
func tolerance(m *Machine, d *asl.Distributed, eff any) (*mapRun, bool) {
	run := &mapRun{}
	m.th.cur.effInput = eff
	return run, m.toleratedFailures(d, m.th.cur, run)
}

// MapFailuresExceeded reports whether failed iterations of the tested Map
// state go over its tolerated failure threshold (AWS "Tolerated failure
// threshold": with neither ToleratedFailureCount nor
// ToleratedFailurePercentage any failure does, and an inline Map tolerates
// none). The percentage is of the Map's iterations: its items, or its
// batches with an ItemBatcher.
func (t *StateTest) MapFailuresExceeded(failed int64) bool {
	s, ok := t.state.(*asl.Map)
	if !ok || failed <= 0 || s.Distributed == nil {
		return failed > 0
	}
	m := t.scratch()
	eff, err := m.applyInputPath(s.Common().InputPath, m.input)
	if err != nil {
		return true
	}
	run, ok := tolerance(m, s.Distributed, eff)
	if !ok {
		return true
	}
	return run.exceededBy(failed, t.mapIterations(m, s, eff, failed))
}

// mapIterations is how many iterations the Map would run on eff; at
// least failed (when they cannot be counted, every iteration failed).
func (t *StateTest) mapIterations(m *Machine, s *asl.Map, eff any, failed int64) int64 {
	var items []any
	var err error
	if s.Common().QueryLanguage == asl.JSONata {
		items, _ = eff.([]any)
	} else if items, err = m.mapItems(s, eff); err != nil {
		return failed
	}
	n := int64(len(items))
	if b := s.Distributed.Batcher; b != nil && s.Common().QueryLanguage != asl.JSONata {
		maxItems, maxBytes, batchInput, err := m.batchLimits(b, eff)
		if err != nil {
			return failed
		}
		inputs, err := m.itemInputs(s, eff, items)
		if err != nil {
			return failed
		}
		batches, _ := batch(inputs, maxItems, maxBytes, batchInput)
		n = int64(len(batches))
	}
	return max(n, failed)
}
