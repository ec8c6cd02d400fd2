package sfnapi

// Wire shapes of the state machine operations (service model names).

type createStateMachineInput struct {
	Name                 *string               `json:"name"`
	Definition           *string               `json:"definition"`
	RoleArn              *string               `json:"roleArn"`
	Type                 string                `json:"type"`
	LoggingConfiguration *loggingConfiguration `json:"loggingConfiguration"`
	TracingConfiguration *tracingConfiguration `json:"tracingConfiguration"`
	Tags                 []tag                 `json:"tags"`
	Publish              bool                  `json:"publish"`
	VersionDescription   *string               `json:"versionDescription"`
	// EncryptionConfiguration is kept only to tell a repeated request
	// from a different one; stepwire encrypts nothing.
	EncryptionConfiguration *encryptionConfiguration `json:"encryptionConfiguration"`
}

type encryptionConfiguration struct {
	Type                         string `json:"type"`
	KmsKeyID                     string `json:"kmsKeyId,omitempty"`
	KmsDataKeyReusePeriodSeconds *int   `json:"kmsDataKeyReusePeriodSeconds,omitempty"`
}

type createStateMachineOutput struct {
	StateMachineArn        string `json:"stateMachineArn"`
	CreationDate           epoch  `json:"creationDate"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
}

type stateMachineArnInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
}

type describeStateMachineOutput struct {
	StateMachineArn      string               `json:"stateMachineArn"`
	Name                 string               `json:"name"`
	Status               string               `json:"status"`
	Definition           string               `json:"definition"`
	RoleArn              string               `json:"roleArn"`
	Type                 string               `json:"type"`
	CreationDate         epoch                `json:"creationDate"`
	LoggingConfiguration loggingConfiguration `json:"loggingConfiguration"`
	TracingConfiguration tracingConfiguration `json:"tracingConfiguration"`
	RevisionID           string               `json:"revisionId,omitempty"`
	Description          *string              `json:"description,omitempty"`
}

type updateStateMachineInput struct {
	StateMachineArn      *string               `json:"stateMachineArn"`
	Definition           *string               `json:"definition"`
	RoleArn              *string               `json:"roleArn"`
	LoggingConfiguration *loggingConfiguration `json:"loggingConfiguration"`
	TracingConfiguration *tracingConfiguration `json:"tracingConfiguration"`
	Publish              bool                  `json:"publish"`
	VersionDescription   *string               `json:"versionDescription"`
}

type updateStateMachineOutput struct {
	UpdateDate             epoch  `json:"updateDate"`
	RevisionID             string `json:"revisionId,omitempty"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
}

type describeStateMachineForExecutionOutput struct {
	StateMachineArn      string               `json:"stateMachineArn"`
	Name                 string               `json:"name"`
	Definition           string               `json:"definition"`
	RoleArn              string               `json:"roleArn"`
	UpdateDate           epoch                `json:"updateDate"`
	LoggingConfiguration loggingConfiguration `json:"loggingConfiguration"`
	TracingConfiguration tracingConfiguration `json:"tracingConfiguration"`
	RevisionID           string               `json:"revisionId,omitempty"`
}

type loggingConfiguration struct {
	Level                string           `json:"level,omitempty"`
	IncludeExecutionData bool             `json:"includeExecutionData"`
	Destinations         []logDestination `json:"destinations,omitempty"`
}

type logDestination struct {
	CloudWatchLogsLogGroup *logGroup `json:"cloudWatchLogsLogGroup,omitempty"`
}

type logGroup struct {
	LogGroupArn string `json:"logGroupArn,omitempty"`
}

type tracingConfiguration struct {
	Enabled bool `json:"enabled"`
}

type listInput struct {
	MaxResults int32  `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

type listStateMachinesOutput struct {
	StateMachines []stateMachineListItem `json:"stateMachines"`
	NextToken     string                 `json:"nextToken,omitempty"`
}

type stateMachineListItem struct {
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Type            string `json:"type"`
	CreationDate    epoch  `json:"creationDate"`
}

// logLevels is the loggingConfiguration.level enum, in the model's order.
var logLevels = []string{"ALL", "ERROR", "FATAL", "OFF"}

// checkLogging validates an optional loggingConfiguration.
func checkLogging(v *violations, l *loggingConfiguration) {
	if l != nil && l.Level != "" {
		v.enum("loggingConfiguration.level", l.Level, logLevels...)
	}
}
