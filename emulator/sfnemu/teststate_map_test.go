package sfnemu

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// distributedMap is a Distributed Map state for TestState; fields are
// added to it.
func distributedMap(fields string) *string {
	return aws.String(`{"Type":"Map",` + fields + `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},` +
		`"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`)
}

// AWS API reference TestState and InspectionData: a mocked Distributed
// Map's inspectionData shows afterItemBatcher, maxConcurrency,
// toleratedFailureCount and toleratedFailurePercentage (resolved from
// literals or paths); mapIterationFailureCount fails the Map only when it
// goes over the tolerated failure threshold (Developer Guide "Tolerated
// failure threshold": either limit, percentage of the iterations).
func TestTestStateDistributedMap(t *testing.T) {
	h := newHarness(t)
	debug := types.InspectionLevelDebug
	cases := []struct {
		name        string
		fields      string
		input       string
		failures    *int32
		status      types.TestExecutionStatus
		batcher     string // "" for absent
		count       *int32
		pct         *float32
		concurrency int32
	}{
		{name: "thresholds from literals", fields: `"ToleratedFailureCount":2,"ToleratedFailurePercentage":50,"MaxConcurrency":3,`,
			input: `[1,2,3,4]`, status: types.TestExecutionStatusSucceeded, count: aws.Int32(2), pct: aws.Float32(50), concurrency: 3},
		{name: "thresholds from paths", fields: `"ToleratedFailureCountPath":"$.n","ToleratedFailurePercentagePath":"$.p","ItemsPath":"$.xs",`,
			input: `{"n":1,"p":"25.5","xs":[1]}`, status: types.TestExecutionStatusSucceeded, count: aws.Int32(1), pct: aws.Float32(25.5)},
		{name: "no thresholds", input: `[1]`, status: types.TestExecutionStatusSucceeded, count: aws.Int32(0), pct: aws.Float32(0)},
		{name: "item batcher", fields: `"ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"b":1}},`, input: `[1,2,3]`,
			status: types.TestExecutionStatusSucceeded, batcher: `[{"BatchInput":{"b":1},"Items":[1,2]},{"BatchInput":{"b":1},"Items":[3]}]`,
			count: aws.Int32(0), pct: aws.Float32(0)},
		{name: "failures within the count", fields: `"ToleratedFailureCount":2,`, input: `[1,2,3]`, failures: aws.Int32(2),
			status: types.TestExecutionStatusSucceeded, count: aws.Int32(2), pct: aws.Float32(0)},
		{name: "failures over the count", fields: `"ToleratedFailureCount":2,`, input: `[1,2,3]`, failures: aws.Int32(3),
			status: types.TestExecutionStatusFailed},
		{name: "failures within the percentage", fields: `"ToleratedFailurePercentage":50,`, input: `[1,2,3,4]`, failures: aws.Int32(2),
			status: types.TestExecutionStatusSucceeded, count: aws.Int32(0), pct: aws.Float32(50)},
		{name: "failures over the percentage", fields: `"ToleratedFailurePercentage":50,`, input: `[1,2,3,4]`, failures: aws.Int32(3),
			status: types.TestExecutionStatusFailed},
		{name: "percentage of the batches", fields: `"ToleratedFailurePercentage":50,"ItemBatcher":{"MaxItemsPerBatch":2},`,
			input: `[1,2,3,4]`, failures: aws.Int32(2), status: types.TestExecutionStatusFailed},
		{name: "no threshold tolerates none", input: `[1,2]`, failures: aws.Int32(1), status: types.TestExecutionStatusFailed},
		{name: "zero failures", input: `[1,2]`, failures: aws.Int32(0), status: types.TestExecutionStatusSucceeded,
			count: aws.Int32(0), pct: aws.Float32(0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &sfn.TestStateInput{Definition: distributedMap(c.fields), Input: aws.String(c.input), InspectionLevel: debug,
				Mock: &types.MockInput{Result: aws.String(`[]`)}}
			if c.failures != nil {
				in.StateConfiguration = &types.TestStateConfiguration{MapIterationFailureCount: c.failures}
			}
			out, err := h.testState(in)
			require.NoError(t, err)
			require.Equal(t, c.status, out.Status)
			if c.status == types.TestExecutionStatusFailed {
				require.Equal(t, "States.ExceedToleratedFailureThreshold", aws.ToString(out.Error))
				require.Equal(t, "The specified tolerated failure threshold was exceeded", aws.ToString(out.Cause))
				return
			}
			d := out.InspectionData
			require.NotNil(t, d)
			eqOpt(t, "afterItemBatcher", c.batcher, d.AfterItemBatcher)
			if c.batcher == "" {
				require.Nil(t, d.AfterItemBatcher)
			}
			require.Equal(t, c.count, d.ToleratedFailureCount)
			require.Equal(t, c.pct, d.ToleratedFailurePercentage)
			require.Equal(t, c.concurrency, aws.ToInt32(d.MaxConcurrency))
		})
	}
}
