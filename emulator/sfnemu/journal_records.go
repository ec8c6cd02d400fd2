package sfnemu

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// The records of the execution journal, as JSON. Keys in journalBucket:
//
//	r/<id>        startRecord of a running execution
//	r/<id>/<seq>  stepRecord: one delivery its Machine applied
//	d/<id>        doneRecord: a closed execution, compacted
//	v/<hash>      a definition the start records name (journal_defs.go)
//
// with <id> the execution id and <seq> the step's number in hex, fixed
// width, so a prefix scan returns an execution's records in order.

func runKey(id uint64) string           { return fmt.Sprintf("r/%016x", id) }
func stepKey(id uint64, seq int) string { return fmt.Sprintf("r/%016x/%08x", id, seq) }
func doneKey(id uint64) string          { return fmt.Sprintf("d/%016x", id) }

// draws are the values an execution drew during one call into its
// Machine, in order of each kind: replay hands them back.
// Tokens are minted again from their sequence numbers (TokenSeqs); a
// journal written before tokens could be has the tokens themselves.
type drawn struct {
	Tokens    []string `json:"t,omitempty"`
	TokenSeqs []uint32 `json:"ts,omitempty"`
	UUIDs     []string `json:"u,omitempty"`
	Randoms   []int64  `json:"r,omitempty"`
}

func (d drawn) empty() bool { return len(d.Tokens)+len(d.TokenSeqs)+len(d.UUIDs)+len(d.Randoms) == 0 }

// startRecord is what StartExecution fixed. Its revision's definition is
// journaled apart, under DefKey (journal_defs.go); a record written
// before that holds it in Rev.
type startRecord struct {
	ID                   uint64
	ARN, Name, SM, Input string
	Start                time.Time
	VersionArn           string `json:",omitempty"`
	AliasArn             string `json:",omitempty"`
	Rev                  revisionSnapshot
	DefKey               string `json:",omitempty"`
	Draws                drawn  `json:",omitempty"`
}

// stepRecord is one delivery applied: Kind names the event ("" for
// Enter, the first state), Event its fields.
type stepRecord struct {
	At    time.Time
	Kind  string          `json:"k,omitempty"`
	Event json.RawMessage `json:"e,omitempty"`
	Draws drawn           `json:"d,omitempty"`
}

// termRecord is a terminal event made outside the Machine (abandon.go).
type termRecord struct {
	Type    interp.EventType
	Details interp.ErrorDetails
	Status  interp.Status
	Failure asl.Failure
	At      time.Time
}

// doneRecord is a closed execution: its inputs, to replay its history,
// and its end.
type doneRecord struct {
	Start  startRecord
	Steps  []stepRecord
	Term   *termRecord `json:",omitempty"`
	Status interp.Status
	Stop   time.Time
	Output json.RawMessage `json:",omitempty"`
	asl.Failure
}

// taskInvokedRecord keeps the difference between no output and null.
type taskInvokedRecord struct {
	TaskID string
	Output json.RawMessage `json:",omitempty"`
}

// encodeEvent returns an event's kind and fields.
func encodeEvent(ev interp.Event) (string, json.RawMessage, error) {
	var v any = ev
	if t, ok := ev.(interp.TaskInvoked); ok {
		if b, ok := appendTaskInvoked(make([]byte, 0, 32+len(t.Output)), t); ok {
			return "interp.TaskInvoked", b, nil
		}
		v = taskInvokedRecord(t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", nil, fmt.Errorf("encode %T: %w", ev, err)
	}
	return fmt.Sprintf("%T", ev), b, nil
}

// decodeEvent is the inverse of encodeEvent.
func decodeEvent(kind string, b json.RawMessage) (interp.Event, error) {
	var err error
	switch kind {
	case "interp.TaskInvoked":
		var r taskInvokedRecord
		err = json.Unmarshal(b, &r)
		return interp.TaskInvoked(r), err
	case "interp.TaskFailed":
		return decodeAs[interp.TaskFailed](b)
	case "interp.ActivityStarted":
		return decodeAs[interp.ActivityStarted](b)
	case "interp.CallbackSuccess":
		return decodeAs[interp.CallbackSuccess](b)
	case "interp.CallbackFailure":
		return decodeAs[interp.CallbackFailure](b)
	case "interp.CallbackHeartbeat":
		return decodeAs[interp.CallbackHeartbeat](b)
	case "interp.TimerFired":
		return decodeAs[interp.TimerFired](b)
	case "interp.Stop":
		return decodeAs[interp.Stop](b)
	}
	return nil, fmt.Errorf("unknown journaled event %q", kind)
}

func decodeAs[T interp.Event](b json.RawMessage) (interp.Event, error) {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("decode %T: %w", v, err)
	}
	return v, nil
}
