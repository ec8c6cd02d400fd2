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

// jsonataDistributedMap is distributedMap in a JSONata machine.
func jsonataDistributedMap(fields string) string {
	return strings.Replace(distributedMap(fields), `{"StartAt"`, `{"QueryLanguage":"JSONata","StartAt"`, 1)
}

// TestParseItemReader encodes the ItemReader and ResultWriter shapes of
// the AWS pages "ItemReader (Map)" (input-output-itemreader), "ResultWriter
// (Map)" and "Using Map state in Distributed mode" (state-map-distributed):
// both are accepted on a Distributed Map, refused on an inline one.
func TestParseItemReader(t *testing.T) {
	const getObject = `"Resource":"arn:aws:states:::s3:getObject"`
	tests := []struct {
		name, def string
		// want is a problem the error must contain; empty means valid.
		want  string
		check func(t *testing.T, d *Distributed)
	}{
		{"json object", distributedMap(`"ItemReader":{` + getObject + `,"ReaderConfig":{"InputType":"JSON","MaxItems":10},"Parameters":{"Bucket":"b","Key.$":"$.key"}},`), "", func(t *testing.T, d *Distributed) {
			r := d.Reader
			if r == nil || r.Resource != "arn:aws:states:::s3:getObject" || r.InputType != "JSON" || r.MaxItems != 10 || r.Parameters == nil {
				t.Errorf("got %+v", r)
			}
		}},
		{"csv with given headers", distributedMap(`"ItemReader":{` + getObject + `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["a","b"],"CSVDelimiter":"SEMICOLON","MaxItemsPath":"$.max"},"Parameters":{"Bucket":"b","Key":"k.csv"}},`), "", func(t *testing.T, d *Distributed) {
			if d.Reader == nil || d.Reader.InputType != "CSV" || d.Reader.MaxItemsPath == nil {
				t.Errorf("got %+v", d.Reader)
			}
		}},
		{"object listing", distributedMap(`"ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"b","Prefix":"p/"}},`), "", func(t *testing.T, d *Distributed) {
			if d.Reader == nil || d.Reader.Resource != "arn:aws:states:::s3:listObjectsV2" {
				t.Errorf("got %+v", d.Reader)
			}
		}},
		{"manifest", distributedMap(`"ItemReader":{` + getObject + `,"ReaderConfig":{"InputType":"MANIFEST"},"Parameters":{"Bucket":"b","Key":"manifest.json"}},`), "", nil},
		{"jsonata arguments and max items", jsonataDistributedMap(`"ItemReader":{` + getObject + `,"ReaderConfig":{"InputType":"JSONL","MaxItems":"{% $states.input.max %}"},"Arguments":{"Bucket":"b","Key":"{% $states.input.key %}"}},`), "", func(t *testing.T, d *Distributed) {
			if d.Reader == nil || d.Reader.Arguments == nil || d.Reader.MaxItemsExpr == nil {
				t.Errorf("got %+v", d.Reader)
			}
		}},
		{"result writer to s3", distributedMap(`"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"},"WriterConfig":{"Transformation":"COMPACT","OutputType":"JSONL"}},`), "", func(t *testing.T, d *Distributed) {
			if d.Writer == nil || d.Writer.Resource != "arn:aws:states:::s3:putObject" {
				t.Errorf("got %+v", d.Writer)
			}
		}},
		{"result writer config only", distributedMap(`"ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN"}},`), "", func(t *testing.T, d *Distributed) {
			if d.Writer == nil || d.Writer.Resource != "" {
				t.Errorf("got %+v", d.Writer)
			}
		}},
		{"reader without resource", distributedMap(`"ItemReader":{"ReaderConfig":{"InputType":"JSON"}},`), "These fields are required: [Resource]", nil},
		{"reader resource not s3", distributedMap(`"ItemReader":{"Resource":"arn:aws:states:::lambda:invoke"},`), "/States/M/ItemReader/Resource", nil},
		{"reader resource not a string", distributedMap(`"ItemReader":{"Resource":3},`), "/States/M/ItemReader/Resource", nil},
		{"reader not an object", distributedMap(`"ItemReader":[],`), "The field 'ItemReader' should be an object", nil},
		{"bad input type", distributedMap(`"ItemReader":{` + getObject + `,"ReaderConfig":{"InputType":"XML"}},`), "The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST, PARQUET]", nil},
		{"given headers missing", distributedMap(`"ItemReader":{` + getObject + `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN"}},`), "'CSVHeaders' is required", nil},
		{"max items and its path", distributedMap(`"ItemReader":{` + getObject + `,"ReaderConfig":{"MaxItems":1,"MaxItemsPath":"$.m"}},`), "Only one of 'MaxItems' or 'MaxItemsPath' can be set", nil},
		{"unknown reader field", distributedMap(`"ItemReader":{` + getObject + `,"Bucket":"b"},`), "Field 'Bucket' is not supported", nil},
		{"jsonpath parameters in jsonata", jsonataDistributedMap(`"ItemReader":{` + getObject + `,"Parameters":{"Bucket":"b"}},`), "Field 'Parameters' is not supported", nil},
		{"writer without resource or config", distributedMap(`"ResultWriter":{},`), "These fields are required: [Resource]", nil},
		{"bad transformation", distributedMap(`"ResultWriter":{"WriterConfig":{"Transformation":"ZIP"}},`), "The field 'Transformation' should have one of these values", nil},
		{"reader on an inline map", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{` + getObject + `},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`, "The field 'ItemReader' is supported only by a Map state in the DISTRIBUTED mode", nil},
		{"writer on an inline map", `{"StartAt":"M","States":{"M":{"Type":"Map","ResultWriter":{"Resource":"arn:aws:states:::s3:putObject"},"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`, "/States/M/ResultWriter", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, err := Parse([]byte(tt.def), Options{})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, def.States["M"].(*Map).Distributed)
			}
		})
	}
}
