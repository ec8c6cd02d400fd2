package interp

import (
	"encoding/json"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/conformance/casematch"
)

// compareResult applies the README's comparison rules (package casematch)
// to what the driver's execution reported.
func compareResult(exp *jsonv.Object, d *driver) error {
	got := casematch.Outcome{Status: string(d.last.Status)}
	if d.last.Output != nil {
		s := string(d.last.Output)
		got.Output = &s
	}
	if d.last.HasError {
		got.Error = &d.last.Error
	}
	if d.last.HasCause {
		got.Cause = &d.last.Cause
	}
	for _, e := range d.events {
		raw, err := json.Marshal(e)
		if err != nil {
			return err
		}
		v, err := jsonv.Decode(raw)
		if err != nil {
			return err
		}
		got.History = append(got.History, v)
	}
	return casematch.Compare(exp, got)
}
