package sfnemu

import "time"

// The typed state machine API: what the operations on state machines take
// and return. Optional members are pointers when absent differs from
// empty; the wire layer (emulator/sfnemu/sfnapi) maps them to and from
// awsJson.

// LoggingConfiguration is a state machine's logging configuration; it is
// stored and reported, nothing is logged.
type LoggingConfiguration struct {
	Level                string
	IncludeExecutionData bool
	Destinations         []LogDestination
}

// LogDestination is one logging destination.
type LogDestination struct {
	CloudWatchLogsLogGroup *LogGroup
}

// LogGroup names a CloudWatch Logs log group.
type LogGroup struct {
	LogGroupArn string
}

// TracingConfiguration is a state machine's X-Ray setting; stored only.
type TracingConfiguration struct {
	Enabled bool
}

// EncryptionConfiguration is kept only to tell a repeated
// CreateStateMachine from a different one; stepwire encrypts nothing.
type EncryptionConfiguration struct {
	Type                         string
	KmsKeyID                     string
	KmsDataKeyReusePeriodSeconds *int
}

// Tag is one tag of a state machine or an activity.
type Tag struct {
	Key, Value string
}

// CreateStateMachineInput creates a state machine. Type is STANDARD when
// empty.
type CreateStateMachineInput struct {
	Name, Definition, RoleArn, Type string
	LoggingConfiguration            *LoggingConfiguration
	TracingConfiguration            *TracingConfiguration
	Tags                            []Tag
	// Publish also publishes version 1 (with VersionDescription).
	Publish                 bool
	VersionDescription      *string
	EncryptionConfiguration *EncryptionConfiguration
}

// CreateStateMachineOutput is a created (or identically re-created) state
// machine; StateMachineVersionArn is set with Publish.
type CreateStateMachineOutput struct {
	StateMachineArn        string
	CreationDate           time.Time
	StateMachineVersionArn string
}

// StateMachineDescription describes a state machine, or one of its
// versions (then StateMachineArn is the version's ARN, CreationDate the
// version's and Description its description).
type StateMachineDescription struct {
	StateMachineArn, Name, Status string
	Definition, RoleArn, Type     string
	CreationDate                  time.Time
	LoggingConfiguration          LoggingConfiguration
	TracingConfiguration          TracingConfiguration
	// RevisionID is empty until the machine's first update.
	RevisionID  string
	Description *string
}

// ExecutionStateMachine is the state machine revision an execution runs.
type ExecutionStateMachine struct {
	StateMachineArn, Name, Definition, RoleArn string
	UpdateDate                                 time.Time
	LoggingConfiguration                       LoggingConfiguration
	TracingConfiguration                       TracingConfiguration
	RevisionID                                 string
}

// UpdateStateMachineInput updates a state machine: nil members keep
// their values.
type UpdateStateMachineInput struct {
	StateMachineArn      string
	Definition, RoleArn  *string
	LoggingConfiguration *LoggingConfiguration
	TracingConfiguration *TracingConfiguration
	Publish              bool
	VersionDescription   *string
}

// UpdateStateMachineOutput is the outcome of an update.
type UpdateStateMachineOutput struct {
	UpdateDate             time.Time
	RevisionID             string
	StateMachineVersionArn string
}

// StateMachineListItem is one state machine of a list.
type StateMachineListItem struct {
	StateMachineArn, Name, Type string
	CreationDate                time.Time
}

// StateMachineList is one page of state machines, in creation order.
type StateMachineList struct {
	StateMachines []StateMachineListItem
	Next          int // see Page
}

// ValidateDefinitionInput asks whether a definition is valid for a type
// (STANDARD when empty); at most MaxResults diagnostics (100 when 0).
type ValidateDefinitionInput struct {
	Definition, Type string
	MaxResults       int
}

// ValidateDefinitionOutput is OK or FAIL with one diagnostic per problem.
type ValidateDefinitionOutput struct {
	Result      string
	Diagnostics []Diagnostic
	Truncated   bool
}

// Diagnostic is one problem of a definition.
type Diagnostic struct {
	Severity, Code, Message, Location string
}
