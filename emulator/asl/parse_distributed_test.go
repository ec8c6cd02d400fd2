package asl

import (
	"strings"
	"testing"
)

// distributedMap is a Distributed Map definition with extra fields on the
// Map state and the given processor execution type.
func distributedMap(fields string) string {
	return `{"StartAt":"M","States":{"M":{"Type":"Map",` + fields + `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`
}

// TestParseDistributedMap encodes the Distributed Map fields of the AWS
// pages "Using Map state in Distributed mode", "ItemBatcher (Map)",
// "Label (Map)" and "ToleratedFailurePercentage (Map)".
func TestParseDistributedMap(t *testing.T) {
	tests := []struct {
		name, def, typ string
		// want is a problem the error must contain; empty means valid.
		want  string
		check func(t *testing.T, d *Distributed)
	}{
		{"standard child executions", distributedMap(``), "", "", func(t *testing.T, d *Distributed) {
			if d.ExecutionType != "STANDARD" || d.Label != "" || d.Batcher != nil {
				t.Errorf("got %+v", d)
			}
		}},
		{"label and tolerated failures", distributedMap(`"Label":"Run-1","ToleratedFailureCount":2,"ToleratedFailurePercentage":12.5,`), "", "", func(t *testing.T, d *Distributed) {
			if d.Label != "Run-1" || !d.HasToleratedFailureCount || d.ToleratedFailureCount != 2 || d.ToleratedFailurePercentage != 12.5 {
				t.Errorf("got %+v", d)
			}
		}},
		{"tolerated failure paths", distributedMap(`"ToleratedFailureCountPath":"$.c","ToleratedFailurePercentagePath":"$.p",`), "", "", func(t *testing.T, d *Distributed) {
			if d.ToleratedFailureCountPath == nil || d.ToleratedFailurePercentagePath == nil || d.HasToleratedFailureCount {
				t.Errorf("got %+v", d)
			}
		}},
		{"item batcher", distributedMap(`"ItemBatcher":{"MaxItemsPerBatch":3,"BatchInput":{"k":"v"}},`), "", "", func(t *testing.T, d *Distributed) {
			if d.Batcher == nil || d.Batcher.MaxItemsPerBatch != 3 || d.Batcher.BatchInput == nil {
				t.Errorf("got %+v", d.Batcher)
			}
		}},
		{"item batcher without a limit", distributedMap(`"ItemBatcher":{"BatchInput":{}},`), "", "At least one of 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' must be set", nil},
		{"batch bytes over 256 KiB", distributedMap(`"ItemBatcher":{"MaxInputBytesPerBatch":262145},`), "", "must be at most 262144", nil},
		{"percentage over 100", distributedMap(`"ToleratedFailurePercentage":101,`), "", "must be a number between 0 and 100", nil},
		{"count and its path", distributedMap(`"ToleratedFailureCount":1,"ToleratedFailureCountPath":"$.c",`), "", "Only one of 'ToleratedFailureCount' or 'ToleratedFailureCountPath' can be set", nil},
		{"label with a colon", distributedMap(`"Label":"a:b",`), "", "/States/M/Label", nil},
		{"label over 40 characters", distributedMap(`"Label":"` + strings.Repeat("x", 41) + `",`), "", "/States/M/Label", nil},
		{"item reader not emulated", distributedMap(`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}},`), "", "The field 'ItemReader' (Amazon S3 items and results of a Distributed Map) is not supported by stepwire", nil},
		{"result writer not emulated", distributedMap(`"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"}},`), "", "The field 'ResultWriter'", nil},
		{"express parent", distributedMap(``), TypeExpress, "allowed in STANDARD state machines only", nil},
		{"bad execution type", strings.Replace(distributedMap(``), `"STANDARD"`, `"SYNC"`, 1), "", "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]", nil},
		{"jsonata tolerated failures", `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":"{% $c %}","ToleratedFailurePercentage":5,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`, "", "", func(t *testing.T, d *Distributed) {
			if d.ToleratedFailureCountExpr == nil || d.ToleratedFailurePercentage != 5 || d.ExecutionType != "EXPRESS" {
				t.Errorf("got %+v", d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, err := Parse([]byte(tt.def), Options{Type: tt.typ})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, def.States["M"].(*Map).Distributed)
		})
	}
}
