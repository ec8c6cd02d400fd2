package eventsapi

// Request and response shapes with the member names of the service model
// (botocore events/2015-10-07). Absent members are omitted.

type putEventsRequest struct {
	Entries    []putEventsEntry `json:"Entries"`
	EndpointID *string          `json:"EndpointId"`
}

type putEventsEntry struct {
	Time         *float64 `json:"Time"` // epoch seconds
	Source       *string  `json:"Source"`
	Resources    []string `json:"Resources"`
	DetailType   *string  `json:"DetailType"`
	Detail       *string  `json:"Detail"`
	EventBusName *string  `json:"EventBusName"`
	TraceHeader  *string  `json:"TraceHeader"`
}

type putEventsResponse struct {
	FailedEntryCount int                    `json:"FailedEntryCount"`
	Entries          []putEventsResultEntry `json:"Entries"`
}

type putEventsResultEntry struct {
	EventID      string `json:"EventId,omitempty"`
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

type putRuleRequest struct {
	Name               *string `json:"Name"`
	ScheduleExpression *string `json:"ScheduleExpression"`
	EventPattern       *string `json:"EventPattern"`
	State              *string `json:"State"`
	Description        *string `json:"Description"`
	RoleArn            *string `json:"RoleArn"`
	Tags               []tag   `json:"Tags"`
	EventBusName       *string `json:"EventBusName"`
}

type tag struct {
	Key   *string `json:"Key"`
	Value *string `json:"Value"`
}

type putRuleResponse struct {
	RuleArn string `json:"RuleArn"`
}

// ruleRequest is DescribeRule, EnableRule, DisableRule and DeleteRule.
type ruleRequest struct {
	Name         *string `json:"Name"`
	EventBusName *string `json:"EventBusName"`
	Force        *bool   `json:"Force"`
}

type ruleShape struct {
	Name               string `json:"Name,omitempty"`
	Arn                string `json:"Arn,omitempty"`
	EventPattern       string `json:"EventPattern,omitempty"`
	State              string `json:"State,omitempty"`
	Description        string `json:"Description,omitempty"`
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	RoleArn            string `json:"RoleArn,omitempty"`
	ManagedBy          string `json:"ManagedBy,omitempty"`
	EventBusName       string `json:"EventBusName,omitempty"`
	// CreatedBy is DescribeRule's only.
	CreatedBy string `json:"CreatedBy,omitempty"`
}

type listRulesRequest struct {
	NamePrefix   *string `json:"NamePrefix"`
	EventBusName *string `json:"EventBusName"`
	NextToken    *string `json:"NextToken"`
	Limit        *int32  `json:"Limit"`
}

type listRulesResponse struct {
	Rules     []ruleShape `json:"Rules"`
	NextToken string      `json:"NextToken,omitempty"`
}

type putTargetsRequest struct {
	Rule         *string       `json:"Rule"`
	EventBusName *string       `json:"EventBusName"`
	Targets      []targetShape `json:"Targets"`
}

type targetShape struct {
	ID               *string                `json:"Id"`
	Arn              *string                `json:"Arn"`
	RoleArn          *string                `json:"RoleArn,omitempty"`
	Input            *string                `json:"Input,omitempty"`
	InputPath        *string                `json:"InputPath,omitempty"`
	InputTransformer *inputTransformerShape `json:"InputTransformer,omitempty"`
	RetryPolicy      *retryPolicyShape      `json:"RetryPolicy,omitempty"`
	DeadLetterConfig *deadLetterShape       `json:"DeadLetterConfig,omitempty"`
}

type inputTransformerShape struct {
	InputPathsMap map[string]string `json:"InputPathsMap,omitempty"`
	InputTemplate *string           `json:"InputTemplate"`
}

type retryPolicyShape struct {
	MaximumRetryAttempts     *int32 `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int32 `json:"MaximumEventAgeInSeconds,omitempty"`
}

type deadLetterShape struct {
	Arn *string `json:"Arn,omitempty"`
}

type failedEntriesResponse struct {
	FailedEntryCount int                `json:"FailedEntryCount"`
	FailedEntries    []failedEntryShape `json:"FailedEntries"`
}

type failedEntryShape struct {
	TargetID     string `json:"TargetId,omitempty"`
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

type removeTargetsRequest struct {
	Rule         *string  `json:"Rule"`
	EventBusName *string  `json:"EventBusName"`
	Ids          []string `json:"Ids"`
	Force        *bool    `json:"Force"`
}

type listTargetsRequest struct {
	Rule         *string `json:"Rule"`
	EventBusName *string `json:"EventBusName"`
	NextToken    *string `json:"NextToken"`
	Limit        *int32  `json:"Limit"`
}

type listTargetsResponse struct {
	Targets   []targetShape `json:"Targets"`
	NextToken string        `json:"NextToken,omitempty"`
}
