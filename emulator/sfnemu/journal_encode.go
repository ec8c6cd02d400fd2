package sfnemu

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/interp"
)

// The journal's most frequent records, a start and a step, encoded by
// hand: the bytes json.Marshal gives (TestJournalEncodingIsMarshal),
// without reflection, and with a task's result, already compact, copied
// rather than compacted twice (once as the event, once as the step's).

// appendStart appends r as json.Marshal encodes it.
func appendStart(b []byte, r startRecord) ([]byte, error) {
	b = append(b, `{"ID":`...)
	b = strconv.AppendUint(b, r.ID, 10)
	b = appendStringField(b, `,"ARN":`, r.ARN)
	b = appendStringField(b, `,"Name":`, r.Name)
	b = appendStringField(b, `,"SM":`, r.SM)
	b = appendStringField(b, `,"Input":`, r.Input)
	b = append(b, `,"Start":`...)
	b = appendTime(b, r.Start)
	if r.VersionArn != "" {
		b = appendStringField(b, `,"VersionArn":`, r.VersionArn)
	}
	if r.AliasArn != "" {
		b = appendStringField(b, `,"AliasArn":`, r.AliasArn)
	}
	rev, err := json.Marshal(r.Rev)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"Rev":`...)
	b = append(b, rev...)
	if r.DefKey != "" {
		b = appendStringField(b, `,"DefKey":`, r.DefKey)
	}
	b = append(b, `,"Draws":`...)
	b = appendDrawn(b, r.Draws)
	return append(b, '}'), nil
}

// appendStep appends r as json.Marshal encodes it; r.Event is an
// encoding of encodeEvent, compact.
func appendStep(b []byte, r stepRecord) []byte {
	b = append(b, `{"At":`...)
	b = appendTime(b, r.At)
	if r.Kind != "" {
		b = appendStringField(b, `,"k":`, r.Kind)
	}
	if len(r.Event) > 0 {
		b = append(b, `,"e":`...)
		b = append(b, r.Event...)
	}
	b = append(b, `,"d":`...)
	b = appendDrawn(b, r.Draws)
	return append(b, '}')
}

// appendTaskInvoked appends ev's record as json.Marshal encodes it, or
// returns false when its result is not valid JSON (json.Marshal refuses
// it, with the error to report).
func appendTaskInvoked(b []byte, ev interp.TaskInvoked) ([]byte, bool) {
	if len(ev.Output) > 0 && !json.Valid(ev.Output) {
		return nil, false
	}
	b = appendStringField(b, `{"TaskID":`, ev.TaskID)
	if len(ev.Output) > 0 {
		b = append(b, `,"Output":`...)
		b = appendMarshalRaw(b, ev.Output)
	}
	return append(b, '}'), true
}

func appendStringField(b []byte, name, s string) []byte {
	return jsonv.AppendMarshalString(append(b, name...), s)
}

// appendTime appends t as time.Time's MarshalJSON does, for the years it
// takes (the clock's).
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

func appendDrawn(b []byte, d drawn) []byte {
	b = append(b, '{')
	sep := func(b []byte) []byte {
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		return b
	}
	if len(d.Tokens) > 0 {
		b = appendStrings(append(sep(b), `"t":`...), d.Tokens)
	}
	if len(d.TokenSeqs) > 0 {
		b = appendInts(append(sep(b), `"ts":`...), d.TokenSeqs)
	}
	if len(d.UUIDs) > 0 {
		b = appendStrings(append(sep(b), `"u":`...), d.UUIDs)
	}
	if len(d.Randoms) > 0 {
		b = appendInts(append(sep(b), `"r":`...), d.Randoms)
	}
	return append(b, '}')
}

func appendInts[T uint32 | int64](b []byte, ns []T) []byte {
	b = append(b, '[')
	for i, n := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return append(b, ']')
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonv.AppendMarshalString(b, s)
	}
	return append(b, ']')
}
