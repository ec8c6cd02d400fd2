package asl

import "github.com/stepwire/stepwire/emulator/asl/jsonpath"

// Parallel is a Parallel state: every branch runs on the same input and the
// output is the array of branch outputs in branch order.
type Parallel struct {
	Base
	Branches       []*Scope
	Parameters     *Template
	ResultSelector *Template
	ResultPath     IOPath
	Retry          []Retrier
	Catch          []Catcher
	// Arguments is the JSONata input of every branch.
	Arguments *JValue
}

// Map is a Map state: the item processor runs once per item of the array
// ItemsPath selects, and the output is the array of iteration outputs in
// item order. Inline, the iterations run inside the execution; with
// Distributed set, as child executions of a Map Run.
type Map struct {
	Base
	Processor *Scope
	// ItemsPath is a reference path into the effective input; nil is $.
	ItemsPath *jsonpath.Path
	// ItemSelector is ItemSelector or its legacy name Parameters.
	ItemSelector   *Template
	ResultSelector *Template
	ResultPath     IOPath
	// MaxConcurrency is 0 for unlimited.
	MaxConcurrency     int64
	MaxConcurrencyPath *jsonpath.Path
	Retry              []Retrier
	Catch              []Catcher
	// Items, ItemSelectorJ and MaxConcurrencyExpr are the JSONata forms.
	Items, ItemSelectorJ, MaxConcurrencyExpr *JValue
	// Distributed is set in the DISTRIBUTED mode.
	Distributed *Distributed
}
