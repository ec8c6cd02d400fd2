package sfnemu

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
)

// TestJournalEncodingIsMarshal: the hand-written encodings of start and
// step records are the bytes json.Marshal gives, so restore.go reads
// them as it reads any record.
func TestJournalEncodingIsMarshal(t *testing.T) {
	at := time.Date(2026, 12, 6, 8, 1, 2, 300400500, time.UTC)
	tricky := "a\"b\\c<d>&e\u2028f\x01g é\xff"
	starts := []startRecord{
		{ID: 1, ARN: "arn:x", Name: "n", SM: "arn:sm", Input: `{"a":1}`, Start: at},
		{ID: 1<<64 - 1, ARN: tricky, Name: tricky, SM: tricky, Input: tricky, Start: at.In(time.FixedZone("x", 3600)),
			VersionArn: "arn:v", AliasArn: "arn:a", DefKey: "v/00", Rev: revisionSnapshot{RoleArn: "r", ID: "id",
				Logging: LoggingConfiguration{Level: "ALL", Destinations: []LogDestination{{CloudWatchLogsLogGroup: &LogGroup{LogGroupArn: "lg"}}}},
				Tracing: TracingConfiguration{Enabled: true}, Date: at, Seq: 3},
			Draws: drawn{Tokens: []string{"t1", tricky}, TokenSeqs: []uint32{1, 4294967295}, UUIDs: []string{"u"}, Randoms: []int64{-5, 7}}},
		{Start: time.Time{}, Draws: drawn{Randoms: []int64{1}}},
		{Draws: drawn{UUIDs: []string{"u1", "u2"}}},
	}
	for i, r := range starts {
		want, err := json.Marshal(r)
		require.NoError(t, err)
		got, err := appendStart(nil, r)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "start %d", i)
	}

	invoked := func(out string) json.RawMessage {
		_, b, err := encodeEvent(interp.TaskInvoked{TaskID: "task-" + tricky, Output: json.RawMessage(out)})
		require.NoError(t, err)
		want, err := json.Marshal(taskInvokedRecord{TaskID: "task-" + tricky, Output: json.RawMessage(out)})
		require.NoError(t, err)
		require.Equal(t, string(want), string(b), "task result %q", out)
		return b
	}
	steps := []stepRecord{
		{At: at},
		{At: at, Draws: drawn{TokenSeqs: []uint32{2}}},
		{At: at, Kind: "interp.TaskInvoked", Event: invoked(`{"Payload":{"x":[1, 2],"h":"<b>&"}}`)},
		{At: at, Kind: "interp.TaskInvoked", Event: invoked(`{"a":1}`)},
		{At: at, Kind: "interp.TaskInvoked", Event: invoked(``)},
		{At: at, Kind: tricky, Event: json.RawMessage(`{"Token":"#1","Output":"{}"}`), Draws: drawn{UUIDs: []string{"u"}, Randoms: []int64{0}}},
	}
	for i, r := range steps {
		want, err := json.Marshal(r)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendStep(nil, r)), "step %d", i)
	}

	_, _, err := encodeEvent(interp.TaskInvoked{TaskID: "t", Output: json.RawMessage(`{"a":`)})
	require.Error(t, err, "a result that is not JSON is refused, as json.Marshal refuses it")
}
