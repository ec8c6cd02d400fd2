package asl

import (
	"strings"
	"unicode"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// processorConfig reads ProcessorConfig: INLINE (or absent) gives nil,
// DISTRIBUTED a Distributed with its ExecutionType.
func (ps *parser) processorConfig(v any, loc string) *Distributed {
	cfg, ok := v.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc, "The field 'ProcessorConfig' should be an object")
		return nil
	}
	mode, _ := stringField(cfg, "Mode")
	switch mode {
	case "", "INLINE":
		return nil
	case "DISTRIBUTED":
	default:
		ps.p.schema(loc+"/Mode", "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]")
		return nil
	}
	d := &Distributed{}
	switch t, has := stringField(cfg, "ExecutionType"); {
	case !has:
		ps.p.schema(loc, "These fields are required: [ExecutionType]")
	case t != TypeStandard && t != TypeExpress:
		ps.p.schema(loc+"/ExecutionType", "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]")
	default:
		d.ExecutionType = t
	}
	if ps.def.Type == TypeExpress {
		ps.p.schema(loc+"/Mode", "The Map state mode 'DISTRIBUTED' is allowed in STANDARD state machines only")
	}
	return d
}

// distributedFields reads the fields of a Distributed Map state o: Label,
// the tolerated failures, ItemBatcher, ItemReader and ResultWriter.
func (ps *parser) distributedFields(d *Distributed, o *jsonv.Object, loc string) {
	if v, has := o.Get("ItemReader"); has {
		d.Reader = ps.itemReader(v, loc+"/ItemReader")
	}
	if v, has := o.Get("ResultWriter"); has {
		d.Writer = ps.resultWriter(v, loc+"/ResultWriter")
	}
	if v, has := o.Get("Label"); has {
		s, isStr := v.(string)
		if !isStr || !validLabel(s) {
			ps.p.schema(loc+"/Label", "The value for the field 'Label' must be at most 40 characters without whitespace, brackets, wildcards, control characters or any of :;,\\|^~$#%%&`\"")
		}
		d.Label = s
	}
	if ps.ql == JSONata {
		d.ToleratedFailureCountExpr = ps.jvalueOrNumber(o, "ToleratedFailureCount", loc, &d.ToleratedFailureCount, &d.HasToleratedFailureCount)
		d.ToleratedFailurePercentageExpr = ps.jvalueOrNumber(o, "ToleratedFailurePercentage", loc, nil, &d.HasToleratedFailurePercentage)
		if d.HasToleratedFailurePercentage && d.ToleratedFailurePercentageExpr == nil {
			d.ToleratedFailurePercentage, _ = ps.percentage(o, loc)
		}
	} else {
		d.ToleratedFailureCount, d.HasToleratedFailureCount = ps.intField(o, "ToleratedFailureCount", loc+"/ToleratedFailureCount", 0)
		d.ToleratedFailurePercentage, d.HasToleratedFailurePercentage = ps.percentage(o, loc)
		d.ToleratedFailureCountPath = ps.optPath(o, "ToleratedFailureCountPath", loc)
		d.ToleratedFailurePercentagePath = ps.optPath(o, "ToleratedFailurePercentagePath", loc)
		ps.onlyOne(o, loc, "ToleratedFailureCount", "ToleratedFailureCountPath")
		ps.onlyOne(o, loc, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
	}
	if v, has := o.Get("ItemBatcher"); has {
		d.Batcher = ps.itemBatcher(v, loc+"/ItemBatcher")
	}
}

// percentage reads a literal ToleratedFailurePercentage, 0 to 100.
func (ps *parser) percentage(o *jsonv.Object, loc string) (float64, bool) {
	if _, has := o.Get("ToleratedFailurePercentage"); !has {
		return 0, false
	}
	f, ok := ps.floatField(o, "ToleratedFailurePercentage", loc+"/ToleratedFailurePercentage")
	if ok && (f < 0 || f > 100) {
		ps.p.schema(loc+"/ToleratedFailurePercentage", "The value for the field 'ToleratedFailurePercentage' must be a number between 0 and 100")
		return 0, false
	}
	return f, ok
}

// jvalueOrNumber reads a JSONata field that is an expression or a number:
// it returns the expression, or stores an integer literal in n (when
// given) and sets has either way.
func (ps *parser) jvalueOrNumber(o *jsonv.Object, field, loc string, n *int64, has *bool) *JValue {
	v, ok := o.Get(field)
	if !ok {
		return nil
	}
	*has = true
	if s, isStr := v.(string); isStr && IsExpr(s) {
		return compileJValue(s, ps.p, loc+"/"+field)
	}
	if n != nil {
		*n, _ = ps.intField(o, field, loc+"/"+field, 0)
	}
	return nil
}

func (ps *parser) onlyOne(o *jsonv.Object, loc, a, b string) {
	_, hasA := o.Get(a)
	_, hasB := o.Get(b)
	if hasA && hasB {
		ps.p.schema(loc, "Only one of '%s' or '%s' can be set", a, b)
	}
}

// itemBatcher reads ItemBatcher: at least one of the batch limits, and an
// optional BatchInput.
func (ps *parser) itemBatcher(v any, loc string) *ItemBatcher {
	o, ok := v.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc, "The field 'ItemBatcher' should be an object")
		return nil
	}
	b := &ItemBatcher{}
	if ps.ql == JSONata {
		b.MaxItemsPerBatch, b.MaxItemsPerBatchExpr = ps.secondsField(o, "MaxItemsPerBatch", loc, 1)
		b.MaxInputBytesPerBatch, b.MaxInputBytesPerBatchExpr = ps.secondsField(o, "MaxInputBytesPerBatch", loc, 1)
		b.BatchInputJ = ps.jvalue(o, "BatchInput", loc)
	} else {
		b.MaxItemsPerBatch, _ = ps.intField(o, "MaxItemsPerBatch", loc+"/MaxItemsPerBatch", 1)
		b.MaxInputBytesPerBatch, _ = ps.intField(o, "MaxInputBytesPerBatch", loc+"/MaxInputBytesPerBatch", 1)
		b.MaxItemsPerBatchPath = ps.optPath(o, "MaxItemsPerBatchPath", loc)
		b.MaxInputBytesPerBatchPath = ps.optPath(o, "MaxInputBytesPerBatchPath", loc)
		b.BatchInput = ps.template(o, "BatchInput", loc)
		ps.onlyOne(o, loc, "MaxItemsPerBatch", "MaxItemsPerBatchPath")
		ps.onlyOne(o, loc, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")
	}
	if b.MaxInputBytesPerBatch > MaxBatchBytes {
		ps.p.schema(loc+"/MaxInputBytesPerBatch", "The value for the field 'MaxInputBytesPerBatch' must be at most %d", MaxBatchBytes)
	}
	set := false
	for _, f := range []string{"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"} {
		if _, has := o.Get(f); has {
			set = true
		}
	}
	if !set {
		ps.p.schema(loc, "At least one of 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' must be set")
	}
	return b
}

// validLabel applies AWS's rules for a Map Run label: at most 40
// characters, none of them whitespace, a wildcard, a bracket, a control
// character or one of :;,\|^~$#%&`".
func validLabel(s string) bool {
	if s == "" || len([]rune(s)) > 40 {
		return false
	}
	for _, c := range s {
		if c < 0x20 || (c >= 0x7f && c <= 0x9f) || unicode.IsSpace(c) || strings.ContainsRune("?*<>{}[]:;,\\|^~$#%&`\"", c) {
			return false
		}
	}
	return true
}
