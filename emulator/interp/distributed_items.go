package interp

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// toleratedFailures resolves a Distributed Map's tolerated failures into
// run, from literals, reference paths (JSONPath; numeric strings are
// accepted) or expressions (JSONata). A bad value fails the state with the
// texts AWS records; it reports false then.
func (m *Machine) toleratedFailures(d *asl.Distributed, r *stateRun, run *mapRun) bool {
	run.info.ToleratedFailureCount, run.hasCount = d.ToleratedFailureCount, d.HasToleratedFailureCount
	run.info.ToleratedFailurePercentage, run.hasPct = d.ToleratedFailurePercentage, d.HasToleratedFailurePercentage
	var err error
	switch {
	case d.ToleratedFailureCountPath != nil:
		run.hasCount = true
		run.info.ToleratedFailureCount, err = m.pathNumber(d.ToleratedFailureCountPath, r.effInput, "ToleratedFailureCountPath")
	case d.ToleratedFailureCountExpr != nil:
		run.hasCount = true
		var ok bool
		if run.info.ToleratedFailureCount, ok = m.jsonataInt(d.ToleratedFailureCountExpr, "ToleratedFailureCount", 0); !ok {
			return false
		}
	}
	if err == nil && run.info.ToleratedFailureCount < 0 {
		err = errors.New("ToleratedFailureCount cannot be negative.")
	}
	if err != nil {
		m.runtimeError(err)
		return false
	}
	var pct float64
	switch {
	case d.ToleratedFailurePercentagePath != nil:
		run.hasPct = true
		pct, err = m.pathFloat(d.ToleratedFailurePercentagePath, r.effInput)
	case d.ToleratedFailurePercentageExpr != nil:
		run.hasPct = true
		v, ok := m.evalJ(d.ToleratedFailurePercentageExpr, m.statesVar(), "ToleratedFailurePercentage")
		if !ok {
			return false
		}
		n, isNum := v.(jsonv.Number)
		if !isNum {
			m.queryFailed(d.ToleratedFailurePercentageExpr.TypeError("ToleratedFailurePercentage", "number", v), r.enteredPrev)
			return false
		}
		pct = n.Float()
	default:
		pct = run.info.ToleratedFailurePercentage
	}
	if err == nil && (pct < 0 || pct > 100) {
		err = errors.New("ToleratedFailurePercentage must be between 0 and 100.")
	}
	if err != nil {
		m.runtimeError(err)
		return false
	}
	run.info.ToleratedFailurePercentage = pct
	return true
}

// pathNumber reads an integer through a reference path: a JSON integer or
// a string holding one. Negative values are returned as they are.
func (m *Machine) pathNumber(p *jsonpath.Path, eff any, field string) (int64, error) {
	v, ok := m.lookup(p, eff)
	if !ok {
		return 0, m.pathMiss(p, eff)
	}
	switch x := v.(type) {
	case jsonv.Number:
		if i, isInt := x.Int(); isInt && x.IsInteger() {
			return i, nil
		}
	case string:
		if i, err := strconv.ParseInt(x, 10, 64); err == nil {
			return i, nil
		}
	}
	return 0, fmt.Errorf("The %s field refers to value \"%s\" which is not a valid integer: %s", field, display(v), p.Text)
}

// pathFloat reads ToleratedFailurePercentagePath: a JSON number or a
// string holding one.
func (m *Machine) pathFloat(p *jsonpath.Path, eff any) (float64, error) {
	v, ok := m.lookup(p, eff)
	if !ok {
		return 0, m.pathMiss(p, eff)
	}
	switch x := v.(type) {
	case jsonv.Number:
		return x.Float(), nil
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f, nil
		}
	}
	return 0, fmt.Errorf("The ToleratedFailurePercentagePath field refers to value \"%s\" which is not a valid float: %s", display(v), p.Text)
}

// batchLimits resolves an ItemBatcher's limits and BatchInput for a
// JSONPath state (eff is its effective input); 0 is no limit.
func (m *Machine) batchLimits(b *asl.ItemBatcher, eff any) (maxItems, maxBytes int64, batchInput any, err error) {
	maxItems, maxBytes = b.MaxItemsPerBatch, b.MaxInputBytesPerBatch
	if b.MaxItemsPerBatchPath != nil {
		if maxItems, err = m.pathNumber(b.MaxItemsPerBatchPath, eff, "MaxItemsPerBatchPath"); err == nil && maxItems < 1 {
			err = errors.New("MaxItemsPerBatch must be positive.")
		}
	}
	if err == nil && b.MaxInputBytesPerBatchPath != nil {
		if maxBytes, err = m.pathNumber(b.MaxInputBytesPerBatchPath, eff, "MaxInputBytesPerBatchPath"); err == nil && (maxBytes < 1 || maxBytes > asl.MaxBatchBytes) {
			err = fmt.Errorf("MaxInputBytesPerBatch must be between 1 and %d.", asl.MaxBatchBytes)
		}
	}
	if err == nil && b.BatchInput != nil {
		batchInput, err = b.BatchInput.Eval(m.env(eff))
	}
	return maxItems, maxBytes, batchInput, err
}

// jsonataBatchLimits is batchLimits for a JSONata state; false when the
// state failed.
func (m *Machine) jsonataBatchLimits(b *asl.ItemBatcher) (maxItems, maxBytes int64, batchInput any, ok bool) {
	maxItems, maxBytes, ok = b.MaxItemsPerBatch, b.MaxInputBytesPerBatch, true
	if b.MaxItemsPerBatchExpr != nil {
		if maxItems, ok = m.jsonataInt(b.MaxItemsPerBatchExpr, "MaxItemsPerBatch", 1); !ok {
			return
		}
	}
	if b.MaxInputBytesPerBatchExpr != nil {
		if maxBytes, ok = m.jsonataInt(b.MaxInputBytesPerBatchExpr, "MaxInputBytesPerBatch", 1); !ok {
			return
		}
	}
	if b.BatchInputJ != nil {
		batchInput, ok = m.evalJ(b.BatchInputJ, m.statesVar(), "BatchInput")
	}
	return
}

// batch groups items into child inputs {"BatchInput": ..., "Items": [...]}
// of at most maxItems items (0: no limit) and maxBytes bytes (0: 256 KiB),
// in item order (AWS "ItemBatcher (Map)"). An item too large for a batch
// of its own still gets one. It returns the inputs and the items in each.
func batch(items []any, maxItems, maxBytes int64, batchInput any) ([]any, []int64) {
	if maxBytes <= 0 || maxBytes > asl.MaxBatchBytes {
		maxBytes = asl.MaxBatchBytes
	}
	empty := func() *jsonv.Object {
		o := jsonv.NewObject(2)
		if batchInput != nil {
			o.Set("BatchInput", batchInput)
		}
		return o
	}
	base := int64(len(jsonv.EncodeString(empty()))) + int64(len(`,"Items":[]`))
	var inputs []any
	var sizes []int64
	var cur []any
	size := base
	flush := func() {
		if len(cur) == 0 {
			return
		}
		o := empty()
		o.Set("Items", cur)
		inputs, sizes = append(inputs, o), append(sizes, int64(len(cur)))
		cur, size = nil, base
	}
	for _, it := range items {
		n := int64(len(jsonv.EncodeString(it)))
		if len(cur) > 0 {
			n++ // the comma
		}
		if len(cur) > 0 && ((maxItems > 0 && int64(len(cur)) >= maxItems) || size+n > maxBytes) {
			flush()
			n = int64(len(jsonv.EncodeString(it)))
		}
		cur = append(cur, it)
		size += n
	}
	flush()
	return inputs, sizes
}
