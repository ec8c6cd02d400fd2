package sfnemu

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
)

// readerDefinition is a Distributed Map that reads its items from S3
// (AWS "ItemReader (Map)", input-output-itemreader, and "Using Map state
// in Distributed mode", state-map-distributed); its children double each
// item's value.
const readerDefinition = `{"StartAt":"Read","States":{"Read":{"Type":"Map",
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":3},
  "Parameters":{"Bucket":"b","Key":"items.json"}},
 "ItemSelector":{"v.$":"$$.Map.Item.Value.v","i.$":"$$.Map.Item.Index"},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{
  "P":{"Type":"Pass","End":true}}},"End":true}}}`

const readerConfig = `{"StateMachines":{"reader":{"TestCases":{
  "Items":{"Read":"FourItems"},
  "Denied":{"Read":"AccessDenied"},
  "Scalar":{"Read":"NotAnArray"}}}},
 "MockedResponses":{
  "FourItems":{"0":{"Return":[{"v":1},{"v":2},{"v":3},{"v":4}]}},
  "AccessDenied":{"0":{"Throw":{"Error":"S3.AccessDeniedException","Cause":"no access"}}},
  "NotAnArray":{"0":{"Return":{"v":1}}}}}`

// TestItemReaderFromMock checks that stepwire, which reads no S3, takes a
// Distributed Map's ItemReader items from the test case's mocked response
// of the Map state: a Return array runs a child per item (after MaxItems),
// a Throw fails the Map Run with its error, and without a mock the run
// fails with States.ItemReaderFailed (the parent history AWS records for
// a reader failure: MapRunStarted, MapRunFailed, MapStateFailed).
func TestItemReaderFromMock(t *testing.T) {
	h := newHarness(t)
	cfg, err := mockconfig.Parse([]byte(readerConfig))
	require.NoError(t, err)
	h.svc.SetMockConfig(cfg)
	sm := h.createMachine("reader", readerDefinition)
	ctx := context.Background()

	t.Run("mocked items", func(t *testing.T) {
		ex := h.start(sm+"#Items", `{}`)
		out := h.waitStatus(ex, types.ExecutionStatusSucceeded)
		require.JSONEq(t, `[{"v":1,"i":0},{"v":2,"i":1},{"v":3,"i":2}]`, aws.ToString(out.Output))
		events := h.history(ex)
		require.Contains(t, eventTypes(events), "MapRunSucceeded")
		for _, e := range events {
			if e.Type == types.HistoryEventTypeMapStateStarted {
				require.Equal(t, int32(0), e.MapStateStartedEventDetails.Length, "AWS logs length 0 with an ItemReader")
			}
		}
		runs, err := h.client.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: aws.String(ex)})
		require.NoError(t, err)
		require.Len(t, runs.MapRuns, 1)
		d, err := h.client.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: runs.MapRuns[0].MapRunArn})
		require.NoError(t, err)
		require.Equal(t, types.MapRunStatusSucceeded, d.Status)
		require.Equal(t, int64(3), d.ExecutionCounts.Succeeded)
	})
	failed := func(t *testing.T, ex, wantError, wantCause string) {
		t.Helper()
		out := h.waitStatus(ex, types.ExecutionStatusFailed)
		require.Equal(t, wantError, aws.ToString(out.Error))
		require.Contains(t, aws.ToString(out.Cause), wantCause)
		kinds := eventTypes(h.history(ex))
		require.Subset(t, kinds, []string{"MapRunStarted", "MapRunFailed", "MapStateFailed"})
		require.NotContains(t, kinds, "MapRunSucceeded")
	}
	t.Run("mocked throw", func(t *testing.T) {
		failed(t, h.start(sm+"#Denied", `{}`), "S3.AccessDeniedException", "no access")
	})
	t.Run("mocked object", func(t *testing.T) {
		failed(t, h.start(sm+"#Scalar", `{}`), "States.ItemReaderFailed", "Attempting to map over non-iterable node.")
	})
	t.Run("no mock", func(t *testing.T) {
		failed(t, h.start(sm, `{}`), "States.ItemReaderFailed",
			"stepwire does not emulate Amazon S3: supply the items of this ItemReader with a mock configuration (MockedResponses of state Read)")
	})
}

// TestResultWriterNotEmulated checks that a ResultWriter exporting to S3
// fails its Map Run with States.ResultWriterFailed, which a Catch handles.
func TestResultWriterNotEmulated(t *testing.T) {
	h := newHarness(t)
	sm := h.createMachine("writer", `{"StartAt":"M","States":{"M":{"Type":"Map",
 "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"}},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
 "Catch":[{"ErrorEquals":["States.ResultWriterFailed"],"Next":"Caught"}],"End":true},
 "Caught":{"Type":"Pass","End":true}}}`)
	out := h.waitStatus(h.start(sm, `[1,2]`), types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"Error":"States.ResultWriterFailed","Cause":"stepwire does not emulate Amazon S3: the ResultWriter of state M cannot export the results to arn:aws:states:::s3:putObject"}`, aws.ToString(out.Output))
}
