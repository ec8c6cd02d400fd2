package asl

import "github.com/stepwire/stepwire/emulator/asl/jsonpath"

// Distributed is the configuration of a Distributed Map (ItemProcessor
// ProcessorConfig Mode DISTRIBUTED): each item (or batch of items) runs as
// a child execution of its own, grouped in a Map Run. Items come from the
// state input; reading them from S3 (ItemReader) and exporting results
// (ResultWriter) are refused at parse time.
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
