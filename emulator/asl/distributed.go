package asl

import "github.com/stepwire/stepwire/emulator/asl/jsonpath"

// Distributed is the configuration of a Distributed Map (ItemProcessor
// ProcessorConfig Mode DISTRIBUTED): each item (or batch of items) runs as
// a child execution of its own, grouped in a Map Run. Items come from the
// state input or, with an ItemReader, from the execution's mock
// configuration: stepwire does not read Amazon S3. A ResultWriter that
// exports to S3 fails the state at run time (States.ResultWriterFailed).
type Distributed struct {
	// ExecutionType is STANDARD or EXPRESS, the type of the child
	// executions.
	ExecutionType string
	// Label names the Map Run and its children; empty uses the state name.
	Label string
	// ToleratedFailureCount and ToleratedFailurePercentage bound the
	// failed children before the run fails; Has* tell a 0 from absent.
	ToleratedFailureCount          int64
	HasToleratedFailureCount       bool
	ToleratedFailureCountPath      *jsonpath.Path
	ToleratedFailurePercentage     float64
	HasToleratedFailurePercentage  bool
	ToleratedFailurePercentagePath *jsonpath.Path
	// ToleratedFailureCountExpr and ToleratedFailurePercentageExpr are
	// the JSONata forms.
	ToleratedFailureCountExpr, ToleratedFailurePercentageExpr *JValue
	// Batcher groups items into batches; nil runs one child per item.
	Batcher *ItemBatcher
	// Reader is the ItemReader; nil takes the items from the input.
	Reader *ItemReader
	// Writer is the ResultWriter; nil keeps the results in the output.
	Writer *ResultWriter
}

// ItemReader is a Distributed Map's ItemReader (AWS "ItemReader (Map)"):
// where the items are read from, an Amazon S3 object or listing.
type ItemReader struct {
	// Resource is the S3 action, such as arn:aws:states:::s3:getObject or
	// arn:aws:states:::s3:listObjectsV2.
	Resource string
	// InputType is ReaderConfig.InputType (CSV, JSON, JSONL, MANIFEST or
	// PARQUET); empty when absent.
	InputType string
	// MaxItems bounds the items read (0: no limit); MaxItemsPath (JSONPath)
	// or MaxItemsExpr (JSONata) give it at run time.
	MaxItems     int64
	MaxItemsPath *jsonpath.Path
	MaxItemsExpr *JValue
	// Parameters (JSONPath) or Arguments (JSONata) name the S3 object.
	Parameters *Template
	Arguments  *JValue
}

// ResultWriter is a Distributed Map's ResultWriter (AWS "ResultWriter
// (Map)"): Resource (S3 putObject) exports the results; WriterConfig alone
// only reshapes them.
type ResultWriter struct {
	// Resource is the S3 action; empty with WriterConfig only.
	Resource string
}

// ItemBatcher groups the items of a Distributed Map: each child's input is
// {"BatchInput": ..., "Items": [...]}.
type ItemBatcher struct {
	// MaxItemsPerBatch and MaxInputBytesPerBatch are 0 when not set.
	MaxItemsPerBatch          int64
	MaxItemsPerBatchPath      *jsonpath.Path
	MaxItemsPerBatchExpr      *JValue
	MaxInputBytesPerBatch     int64
	MaxInputBytesPerBatchPath *jsonpath.Path
	MaxInputBytesPerBatchExpr *JValue
	// BatchInput (JSONPath template) or BatchInputJ (JSONata) is added to
	// every batch.
	BatchInput  *Template
	BatchInputJ *JValue
}

// MaxBatchBytes is the largest batch input (256 KiB), the payload limit.
const MaxBatchBytes = 262144
