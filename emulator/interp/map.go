package interp

import (
	"fmt"
	"strconv"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// mapItem is $$.Map.Item while a Map state builds an iteration's input.
type mapItem struct {
	index int
	value any
}

// runMap starts an inline Map state: ItemsPath selects the items from the
// effective input, ItemSelector (or legacy Parameters) builds each
// iteration's input, with $$.Map.Item.Index and .Value set.
func (m *Machine) runMap(s *asl.Map) {
	r := m.th.cur
	eff, err := m.applyInputPath(s.InputPath, r.rawInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	var items []any
	var readFail *asl.Failure
	if readsItems(s) {
		var ok bool
		if items, readFail, ok = m.readerItems(s, eff); !ok {
			return
		}
	} else if items, err = m.mapItems(s, eff); err != nil {
		m.runtimeError(err)
		return
	}
	limit := s.MaxConcurrency
	if s.MaxConcurrencyPath != nil {
		if limit, err = m.maxConcurrency(s.MaxConcurrencyPath, eff); err != nil {
			m.runtimeError(err)
			return
		}
	}
	inputs, err := m.itemInputs(s, eff, items)
	if err != nil {
		m.runtimeError(err)
		return
	}
	var sizes []int64
	if d := s.Distributed; d != nil && d.Batcher != nil {
		maxItems, maxBytes, batchInput, err := m.batchLimits(d.Batcher, eff)
		if err != nil {
			m.runtimeError(err)
			return
		}
		inputs, sizes = batch(inputs, maxItems, maxBytes, batchInput)
	}
	r.effInput = eff
	r.fanOut = &fanOutRun{
		isMap: true, scopes: []*asl.Scope{s.Processor}, inputs: inputs, limit: int(min(limit, 1<<30)),
		retriers: s.Retry, catchers: s.Catch, retries: make([]int64, len(s.Retry)),
		resultSelector: s.ResultSelector, resultPath: s.ResultPath, outputPath: s.OutputPath,
		dist: s.Distributed, batchSizes: sizes, readFail: readFail,
	}
	m.startFanOut(r, r.enteredID)
}

func (m *Machine) mapItems(s *asl.Map, eff any) ([]any, error) {
	items := eff
	if s.ItemsPath != nil {
		v, ok := m.lookup(s.ItemsPath, eff)
		if !ok {
			return nil, m.pathMiss(s.ItemsPath, eff)
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		return nil, fmt.Errorf("Map state input must be an array but was: %s", jsonv.EncodeString(items))
	}
	return arr, nil
}

// maxConcurrency resolves MaxConcurrencyPath to a non-negative integer.
func (m *Machine) maxConcurrency(p *jsonpath.Path, eff any) (int64, error) {
	v, ok := m.lookup(p, eff)
	if !ok {
		return 0, m.pathMiss(p, eff)
	}
	var n int64
	valid := false
	switch x := v.(type) {
	case jsonv.Number:
		i, isInt := x.Int()
		n, valid = i, isInt && x.IsInteger()
	case string:
		i, err := strconv.ParseInt(x, 10, 64)
		n, valid = i, err == nil
	}
	if !valid || n < 0 {
		return 0, fmt.Errorf("The MaxConcurrencyPath field refers to value \"%s\" which is not a valid integer: %s", display(v), p.Text)
	}
	return n, nil
}

// itemInputs builds every iteration's input up front, so that a failing
// ItemSelector fails the state before any iteration starts.
func (m *Machine) itemInputs(s *asl.Map, eff any, items []any) ([]any, error) {
	if s.ItemSelector == nil {
		return items, nil
	}
	out := make([]any, len(items))
	defer func() { m.item = nil }()
	for i, it := range items {
		m.item = &mapItem{index: i, value: it}
		v, err := s.ItemSelector.Eval(m.env(eff))
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// mapContext is the Map member of the context object.
func (it *mapItem) context() any {
	item := jsonv.NewObject(2)
	item.Set("Index", jsonv.IntNumber(int64(it.index)))
	item.Set("Value", it.value)
	o := jsonv.NewObject(1)
	o.Set("Item", item)
	return o
}
