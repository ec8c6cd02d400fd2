package asl

import (
	"strings"
	"testing"
)

// notSupported and required are the problems of the Parameters (or
// Arguments, with field) of a state S.
func notSupported(field, name string) string {
	return `SCHEMA_VALIDATION_FAILED: The field "` + name + `" is not supported by Step Functions at /States/S/` + field
}

func requiredMissing(field, name string) string {
	return "SCHEMA_VALIDATION_FAILED: The field '" + name + "' is required but was missing at /States/S/" + field
}

// taskParams is a JSONPath machine whose only state is a Task on res with
// the given Parameters.
func taskParams(res, params string) string {
	return oneState(`{"Type":"Task","Resource":"` + res + `","Parameters":` + params + `,"End":true}`)
}

// taskArgs is the JSONata form, with the given Arguments.
func taskArgs(res, args string) string {
	return jsonataState(`{"Type":"Task","Resource":"` + res + `","Arguments":` + args + `,"End":true}`)
}

// Parameters AWS refuses at create time, one problem per state (AWS named
// "key" alone for Tags written key/value). The text and its location are
// AWS's: CreateStateMachine answered "SCHEMA_VALIDATION_FAILED: The field
// "key" is not supported by Step Functions at /States/Train Step/Parameters"
// for a field a sagemaker:createTrainingJob does not take
// (aws/aws-step-functions-data-science-sdk-python#200), and refused
// elasticmapreduce:createCluster's AutoTerminationPolicy the same way
// (aws/aws-cdk#17452). The required-field text is the one AWS records for a
// missing Credentials RoleArn (conformance case
// credentials.test_credentials_base__test_invalid_credentials_field_EMPTY_CREDENTIALS);
// that AWS applies it to request fields is unverified (docs §4.6).
func TestIntegrationParametersRefused(t *testing.T) {
	const lambda = "arn:aws:states:::lambda:invoke"
	checkProblems(t, []problemCase{
		// connect-lambda: Foo is no field of Lambda's Invoke.
		{name: "lambda unknown field", def: taskParams(lambda, `{"FunctionName":"f","Foo":1}`),
			want: []string{notSupported("Parameters", "Foo")}},
		// The same with the callback pattern, and field names are case-sensitive.
		{name: "lambda wrong case", def: taskParams(lambda+".waitForTaskToken", `{"functionName":"f"}`),
			want: []string{notSupported("Parameters", "functionName")}},
		{name: "lambda no FunctionName", def: taskParams(lambda, `{"Payload":{}}`),
			want: []string{requiredMissing("Parameters", "FunctionName")}},
		{name: "lambda empty Parameters", def: taskParams(lambda, `{}`),
			want: []string{requiredMissing("Parameters", "FunctionName")}},
		// connect-sqs: QueueUrl and MessageBody are SendMessage's required fields.
		{name: "sqs both missing", def: taskParams("arn:aws:states:::sqs:sendMessage", `{"DelaySeconds":1}`),
			want: []string{requiredMissing("Parameters", "MessageBody")}},
		// connect-parameters: Step Functions wants the API's plural names
		// ("The field Filter is not supported by Step Functions").
		{name: "sqs singular attribute", def: taskParams("arn:aws:states:::sqs:sendMessage.waitForTaskToken", `{"QueueUrl":"q","MessageBody":"m","MessageAttribute":{}}`),
			want: []string{notSupported("Parameters", "MessageAttribute")}},
		// connect-sns: Publish needs Message.
		{name: "sns no message", def: taskParams("arn:aws:states:::sns:publish", `{"TopicArn":"t"}`),
			want: []string{requiredMissing("Parameters", "Message")}},
		// connect-ddb.
		{name: "dynamodb putItem Key", def: taskParams("arn:aws:states:::dynamodb:putItem", `{"TableName":"t","Key":{}}`),
			want: []string{notSupported("Parameters", "Key")}},
		{name: "dynamodb getItem no Key", def: taskParams("arn:aws:states:::dynamodb:getItem", `{"TableName.$":"$.t"}`),
			want: []string{requiredMissing("Parameters", "Key")}},
		// connect-stepfunctions.
		{name: "startExecution no arn", def: taskParams("arn:aws:states:::states:startExecution.sync:2", `{"Input":{}}`),
			want: []string{requiredMissing("Parameters", "StateMachineArn")}},
		// connect-eventbridge.
		{name: "putEvents Entry", def: taskParams("arn:aws:states:::events:putEvents", `{"Entry":[]}`),
			want: []string{notSupported("Parameters", "Entry")}},
		// connect-ecs, connect-glue, connect-batch, connect-sagemaker.
		{name: "ecs no task definition", def: taskParams("arn:aws:states:::ecs:runTask.sync", `{"Cluster":"c"}`),
			want: []string{requiredMissing("Parameters", "TaskDefinition")}},
		{name: "glue JobNames", def: taskParams("arn:aws:states:::glue:startJobRun.sync", `{"JobNames":"j"}`),
			want: []string{notSupported("Parameters", "JobNames")}},
		{name: "batch camelCase", def: taskParams("arn:aws:states:::batch:submitJob", `{"jobName":"n","JobQueue":"q","JobDefinition":"d","JobName":"n"}`),
			want: []string{notSupported("Parameters", "jobName")}},
		{name: "sagemaker S3Operations", def: taskParams("arn:aws:states:::sagemaker:createModel", `{"ModelName":"m","ExecutionRoleArn":"r","S3Operations":{}}`),
			want: []string{notSupported("Parameters", "S3Operations")}},
		// connect-api-gateway: ApiEndpoint and Method are required.
		{name: "apigateway", def: taskParams("arn:aws:states:::apigateway:invoke", `{"ApiEndpoint":"e","Body":{}}`),
			want: []string{notSupported("Parameters", "Body")}},
		// JSONata: the Arguments object's keys are the fields.
		{name: "jsonata unknown field", def: taskArgs(lambda, `{"FunctionName":"f","Foo":"{% 1 %}"}`),
			want: []string{notSupported("Arguments", "Foo")}},
		{name: "jsonata no FunctionName", def: taskArgs(lambda, `{"Payload":"{% $states.input %}"}`),
			want: []string{requiredMissing("Arguments", "FunctionName")}},
		// In JSONata a key ending in .$ is no path: it is the field's name.
		{name: "jsonata dollar key", def: taskArgs(lambda, `{"FunctionName.$":"f"}`),
			want: []string{notSupported("Arguments", "FunctionName.$")}},
		// Nested fields, along the API's shapes: the case of #200 (Tags
		// written key/value; AWS names the first field only).
		{name: "sagemaker nested tag", def: taskParams("arn:aws:states:::sagemaker:createTrainingJob.sync",
			`{"TrainingJobName":"j","RoleArn":"r","OutputDataConfig":{"S3OutputPath":"s3://b"},"ResourceConfig":{"InstanceCount":1,"InstanceType":"ml.m4.xlarge","VolumeSizeInGB":5},`+
				`"StoppingCondition":{"MaxRuntimeInSeconds":60},"Tags":[{"key":"cart","value":"de"}]}`),
			want: []string{notSupported("Parameters", "key")}},
		// aws/aws-cdk#10014: a misspelt field inside InputDataConfig.
		{name: "sagemaker nested typo", def: taskParams("arn:aws:states:::sagemaker:createTrainingJob",
			`{"TrainingJobName":"j","RoleArn":"r","OutputDataConfig":{"S3OutputPath":"s3://b"},"ResourceConfig":{"InstanceCount":1},"StoppingCondition":{},`+
				`"InputDataConfig":[{"ChannelName":"train","DataSource":{"S3DataSource":{"AtttributeNames":["a"],"S3DataType":"S3Prefix","S3Uri":"s3://b"}}}]}`),
			want: []string{notSupported("Parameters", "AtttributeNames")}},
		// A map's values: DynamoDB attribute values, SNS message attributes.
		{name: "dynamodb attribute value", def: taskParams("arn:aws:states:::dynamodb:getItem", `{"TableName":"t","Key":{"id":{"s":"1"}}}`),
			want: []string{notSupported("Parameters", "s")}},
		{name: "dynamodb nested map", def: taskParams("arn:aws:states:::dynamodb:putItem", `{"TableName":"t","Item":{"m":{"M":{"x":{"L":[{"N":"1"},{"Number":"2"}]}}}}}`),
			want: []string{notSupported("Parameters", "Number")}},
		{name: "sns message attribute", def: taskParams("arn:aws:states:::sns:publish", `{"Message":"m","MessageAttributes":{"a":{"DataType":"String","Value":"v"}}}`),
			want: []string{notSupported("Parameters", "Value")}},
		// The first unknown field in the order of the definition.
		{name: "first in order", def: taskParams("arn:aws:states:::ecs:runTask.sync",
			`{"TaskDefinition":"d","Overrides":{"ContainerOverrides":[{"Name":"c","Env":[]}]},"Foo":1}`),
			want: []string{notSupported("Parameters", "Env")}},
		{name: "jsonata nested", def: taskArgs("arn:aws:states:::events:putEvents", `{"Entries":[{"Source":"s","DetailType":"t","Details":"{% $states.input %}"}]}`),
			want: []string{notSupported("Arguments", "Details")}},
		// Nested states are checked too.
		{name: "in a parallel branch", def: oneState(`{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"Foo":1,"FunctionName":"f"},"End":true}}}]}`),
			want: []string{`SCHEMA_VALIDATION_FAILED: The field "Foo" is not supported by Step Functions at /States/S/Branches/0/States/B/Parameters`}},
	})
}

// Parameters AWS accepts. Each row is a form a recorded case ran on AWS or
// the Developer Guide shows.
func TestIntegrationParametersAccepted(t *testing.T) {
	const lambda = "arn:aws:states:::lambda:invoke"
	for _, tt := range []struct{ name, def string }{
		// services.test_lambda_task_service__test_invoke_unsupported_param:
		// LogType is not in connect-lambda's list, and AWS ran it.
		{"lambda LogType", taskParams(lambda, `{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload","LogType.$":"$.LogType"}`)},
		// connect-lambda examples.
		{"lambda Qualifier", taskParams(lambda+".waitForTaskToken", `{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"},"Qualifier":"prod-v1"}`)},
		{"lambda InvocationType", taskParams(lambda, `{"FunctionName":"echo","InvocationType":"Event"}`)},
		// A key ending in .$ names its field once evaluated: AWS created a
		// lambda:invoke.waitForTaskToken with "TaskToken.$" beside Payload
		// and failed it only when it ran (docs §4.6); it also satisfies
		// the field it names.
		{"lambda dynamic unknown", taskParams(lambda+".waitForTaskToken", `{"FunctionName":"f","TaskToken.$":"$$.Task.Token"}`)},
		// Nested fields AWS's examples use (connect-ddb, connect-sns,
		// connect-ecs, connect-eventbridge, connect-batch); a nested .$ key's
		// value is not looked into, and a map's keys are free.
		{"dynamodb Key", taskParams("arn:aws:states:::dynamodb:getItem", `{"TableName":"t","Key":{"MessageId":{"S.$":"$.MessageId"}}}`)},
		{"dynamodb Item", taskParams("arn:aws:states:::dynamodb:putItem", `{"TableName":"t","Item":{"id":{"S":"1"},"n":{"N":"2"},"m":{"M":{"x":{"BOOL":true}}},"l":{"L":[{"NULL":true}]}}}`)},
		{"dynamodb update values", taskParams("arn:aws:states:::dynamodb:updateItem", `{"TableName":"t","Key":{"id":{"S":"1"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S.$":"$.a"}},"ExpressionAttributeNames":{"#x":"x"}}`)},
		{"sns attributes", taskParams("arn:aws:states:::sns:publish", `{"TopicArn":"t","Message":{"free":{"any":1}},"MessageAttributes":{"my attribute no 1":{"DataType":"String","StringValue":"v"}}}`)},
		{"ecs overrides", taskParams("arn:aws:states:::ecs:runTask.waitForTaskToken", `{"Cluster":"c","TaskDefinition":"d","LaunchType":"FARGATE","NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":["s"],"AssignPublicIp":"ENABLED"}},"Overrides":{"ContainerOverrides":[{"Name":"c","Environment":[{"Name":"TASK_TOKEN","Value.$":"$$.Task.Token"}]}]}}`)},
		{"events detail object", taskParams("arn:aws:states:::events:putEvents", `{"Entries":[{"Detail":{"Message":"m","Anything":{"x":1}},"DetailType":"t","EventBusName":"b","Source":"s"}]}`)},
		{"batch retry strategy", taskParams("arn:aws:states:::batch:submitJob.sync", `{"JobDefinition":"d","JobName":"n","JobQueue":"q","RetryStrategy":{"Attempts":5},"ContainerOverrides":{"Environment":[{"Name":"A","Value":"b"}]}}`)},
		{"nested dynamic object", taskParams("arn:aws:states:::ecs:runTask", `{"TaskDefinition":"d","Overrides.$":"$.overrides"}`)},
		{"lambda payload free", taskParams(lambda, `{"FunctionName":"f","Payload":{"Anything":{"Goes":1}}}`)},
		{"startExecution input free", taskParams("arn:aws:states:::states:startExecution", `{"StateMachineArn":"a","Input":{"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id","x":1}}`)},
		// No Parameters: the state input is the request.
		{"lambda no Parameters", oneState(`{"Type":"Task","Resource":"` + lambda + `","End":true}`)},
		// test_base_integrations (JSONata) and test_invoke (Arguments without Payload).
		{"jsonata lambda", taskArgs(lambda, `{"FunctionName":"{% $states.input.FunctionName %}","Payload":"{% $states.input.Payload %}"}`)},
		{"jsonata FunctionName only", taskArgs(lambda, `{"FunctionName":"f"}`)},
		// One JSONata expression: the fields are known only at run time.
		{"jsonata expression", taskArgs(lambda, `"{% $states.input %}"`)},
		// Recorded sqs, sns, dynamodb, events and states cases.
		{"sqs attributes", taskParams("arn:aws:states:::sqs:sendMessage", `{"QueueUrl.$":"$.QueueUrl","MessageBody.$":"$.MessageBody","MessageAttributes":{}}`)},
		{"sns fifo", taskParams("arn:aws:states:::sns:publish", `{"TopicArn.$":"$.TopicArn","Message.$":"$.Message","MessageDeduplicationId.$":"$.d","MessageGroupId.$":"$.g"}`)},
		{"dynamodb updateItem", taskParams("arn:aws:states:::dynamodb:updateItem", `{"TableName.$":"$.t","Key.$":"$.k","UpdateExpression.$":"$.u","ExpressionAttributeValues.$":"$.v","ReturnValues":"UPDATED_NEW"}`)},
		{"events", taskParams("arn:aws:states:::events:putEvents", `{"Entries.$":"$.Entries"}`)},
		{"startExecution", taskParams("arn:aws:states:::states:startExecution.sync", `{"StateMachineArn.$":"$.a","Input":{},"Name.$":"$.n"}`)},
		{"apigateway", taskParams("arn:aws:states:::apigateway:invoke", `{"ApiEndpoint.$":"$.e","Method.$":"$.m","Path.$":"$.p","Stage.$":"$.s","Headers.$":"$.h","RequestBody.$":"$.b","QueryParameters.$":"$.q","AllowNullValues.$":"$.n"}`)},
		{"jsonata apigateway", taskArgs("arn:aws:states:::apigateway:invoke", `{"ApiEndpoint":"e","AuthType":"NO_AUTH","Method":"GET","Path":"p","RequestBody":{}}`)},
		// aws-sdk integrations pass their fields to the API unchecked.
		{"aws-sdk", taskParams("arn:aws:states:::aws-sdk:s3:listBuckets", `{"Anything":1}`)},
		// Integrations the table does not describe are not checked.
		{"bedrock invokeModel", taskParams("arn:aws:states:::bedrock:invokeModel", `{"ModelId":"m","Body":{},"Anything":1}`)},
		{"http invoke", taskParams("arn:aws:states:::http:invoke", `{"ApiEndpoint":"e","Method":"GET","Authentication":{"ConnectionArn":"c"}}`)},
		// Lambda function ARNs and activities take any Parameters.
		{"lambda ARN", taskParams("arn:aws:lambda:us-east-1:123456789012:function:f", `{"Foo":1}`)},
		{"activity", taskParams("arn:aws:states:us-east-1:123456789012:activity:a", `{"Foo":1}`)},
	} {
		if _, err := Parse([]byte(tt.def), Options{}); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// Every row of the field table is an integration AWS offers, and the
// required fields are among the allowed ones.
func TestIntegrationFieldsTable(t *testing.T) {
	for key, rule := range integrationFields {
		service, action, _ := strings.Cut(key, ":")
		if optimized[service][action] == 0 {
			t.Errorf("%s: not in the integrations table", key)
		}
		for _, r := range rule.required {
			if !rule.allows(r) {
				t.Errorf("%s: required %s is not allowed", key, r)
			}
		}
	}
}
