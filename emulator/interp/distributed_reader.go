package interp

import (
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// stepwire does not read or write Amazon S3: the items of a Distributed
// Map's ItemReader come from Options.ReadItems (the execution's mock
// configuration), and a ResultWriter that exports to S3 fails the Map Run
// (docs/step-functions.md, "Map (distributed)").

// readsItems reports whether the Map state s takes its items from an
// ItemReader.
func readsItems(s *asl.Map) bool {
	return s.Distributed != nil && s.Distributed.Reader != nil
}

// readerItems reads the items of the ItemReader of s, the current state,
// through Options.ReadItems and applies MaxItems (MaxItemsPath reads eff,
// the effective input of a JSONPath state). A read that failed gives its
// failure, which fails the Map Run once it started, as AWS records; ok is
// false when the state failed already (a bad MaxItemsPath).
func (m *Machine) readerItems(s *asl.Map, eff any) (items []any, fail *asl.Failure, ok bool) {
	name := m.th.cur.name
	var raw []byte
	var supplied bool
	if m.opts.ReadItems != nil {
		raw, fail, supplied = m.opts.ReadItems(name)
	}
	switch {
	case fail != nil:
		return nil, fail, true
	case !supplied:
		f := asl.NewFailure(asl.StatesItemReaderFailed, fmt.Sprintf(
			"stepwire does not emulate Amazon S3: supply the items of this ItemReader with a mock configuration (MockedResponses of state %s)", name))
		return nil, &f, true
	}
	v, err := jsonv.Decode(raw)
	items, isArr := v.([]any)
	if err != nil || !isArr {
		// The cause AWS records for a dataset that is not an array.
		f := asl.NewFailure(asl.StatesItemReaderFailed, "Attempting to map over non-iterable node.")
		return nil, &f, true
	}
	r := s.Distributed.Reader
	limit := r.MaxItems
	switch {
	case r.MaxItemsPath != nil:
		if limit, err = m.pathNumber(r.MaxItemsPath, eff, "MaxItemsPath"); err == nil && limit < 0 {
			err = errors.New("MaxItems cannot be negative.")
		}
		if err != nil {
			m.runtimeError(err)
			return nil, nil, false
		}
	case r.MaxItemsExpr != nil:
		if limit, ok = m.jsonataInt(r.MaxItemsExpr, "MaxItems", 0); !ok {
			return nil, nil, false
		}
	}
	if limit > 0 && int64(len(items)) > limit {
		items = items[:limit]
	}
	return items, nil, true
}

// s3Failure is why the Map Run of the fan-out b fails as soon as it
// started: its ItemReader could not read the items, or its ResultWriter
// would export the results to S3. nil when neither.
func (b *fanOutRun) s3Failure(state string) *asl.Failure {
	if b.readFail != nil {
		return b.readFail
	}
	if w := b.dist.Writer; w != nil && w.Resource != "" {
		f := asl.NewFailure(asl.StatesResultWriterFailed, fmt.Sprintf(
			"stepwire does not emulate Amazon S3: the ResultWriter of state %s cannot export the results to %s", state, w.Resource))
		return &f
	}
	return nil
}
