package sfnemu

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// A closed execution's record (doneRecord) repeats its start record and
// its steps, which were encoded when they were journaled. encodeDone
// splices those encodings instead of encoding them again: the bytes are
// the ones json.Marshal(doneRecord) gives (TestEncodeDoneIsMarshal), so
// restore.go reads them as before.

// doneTail is doneRecord after its Start and Steps, in the same order.
type doneTail struct {
	Term   *termRecord `json:",omitempty"`
	Status interp.Status
	Stop   time.Time
	Output json.RawMessage `json:",omitempty"`
	asl.Failure
}

// encodeDone encodes e's closed record from the encodings kept in e.jr,
// encoding what was not kept (an execution restored from its journal).
// e.mu is held.
func encodeDone(e *execution) ([]byte, error) {
	start := e.jr.startJSON
	if start == nil {
		b, err := json.Marshal(e.jr.start)
		if err != nil {
			return nil, fmt.Errorf("encode start record: %w", err)
		}
		start = b
	}
	tail, err := json.Marshal(doneTail{Term: e.jr.term, Status: e.status, Stop: e.stop, Output: e.output,
		Failure: e.failure})
	if err != nil {
		return nil, fmt.Errorf("encode end: %w", err)
	}
	n := len(start) + len(tail) + 32
	for _, s := range e.jr.stepsJSON {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"Start":`...)
	b = append(b, start...)
	b = append(b, `,"Steps":`...)
	if e.jr.steps == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, st := range e.jr.steps {
			if i > 0 {
				b = append(b, ',')
			}
			enc := []byte(nil)
			if i < len(e.jr.stepsJSON) {
				enc = e.jr.stepsJSON[i]
			}
			if enc == nil {
				if enc, err = json.Marshal(st); err != nil {
					return nil, fmt.Errorf("encode step %d: %w", i, err)
				}
			}
			b = append(b, enc...)
		}
		b = append(b, ']')
	}
	b = append(b, ',')
	return append(b, tail[1:]...), nil
}
