package asl

// The service integrations Step Functions documents, as a Task state names
// them in Resource: arn:<partition>:states:::<service>:<action>[<pattern>].
// docs/step-functions.md §4.6 has the same table with its sources; the
// pages cited below are in the AWS Step Functions Developer Guide.

// Pattern is a set of service integration patterns.
type Pattern uint8

// The integration patterns, named by the Resource suffix that selects them
// ("Discover service integration patterns in Step Functions",
// connect-to-resource).
const (
	// RequestResponse is a Resource without a suffix.
	RequestResponse Pattern = 1 << iota
	// RunJob is the suffix .sync.
	RunJob
	// RunJob2 is the suffix .sync:2 (states:startExecution only).
	RunJob2
	// WaitForTaskToken is the suffix .waitForTaskToken.
	WaitForTaskToken
)

// Pattern sets of the integrations table.
const (
	rr     = RequestResponse
	rrSync = RequestResponse | RunJob
	rrWait = RequestResponse | WaitForTaskToken
	rrAll  = RequestResponse | RunJob | WaitForTaskToken
)

// patternSuffixes maps each Resource suffix to its pattern.
var patternSuffixes = map[string]Pattern{
	"":                  RequestResponse,
	".sync":             RunJob,
	".sync:2":           RunJob2,
	".waitForTaskToken": WaitForTaskToken,
}

// sdkPatterns are the patterns of every aws-sdk:<service>:<action>
// integration: Request Response and Wait for Callback, never .sync
// ("Integrating optimized services with Step Functions", integrate-optimized:
// "Over two hundred services | Standard & Express | Not supported |
// Standard").
const sdkPatterns = rrWait

// sdkService is the service name of the AWS SDK integrations,
// arn:aws:states:::aws-sdk:<service>:<apiAction>.
const sdkService = "aws-sdk"

// optimized lists, per optimized service as the Resource spells it, the
// actions Step Functions documents and the patterns each allows. Where a
// service page does not say which action takes which pattern, every action
// gets the service's row of the integrate-optimized table.
var optimized = map[string]map[string]Pattern{
	// "Create API Gateway REST APIs with Step Functions" (connect-api-gateway).
	"apigateway": {"invoke": rrWait},
	// "Run Athena queries with Step Functions" (connect-athena).
	"athena": {
		"startQueryExecution": rrSync, "stopQueryExecution": rr,
		"getQueryExecution": rr, "getQueryResults": rr,
	},
	// "Run AWS Batch workloads with Step Functions" (connect-batch).
	"batch": {"submitJob": rrSync},
	// "Invoke and customize Amazon Bedrock models with Step Functions"
	// (connect-bedrock); the page does not say which action takes
	// .waitForTaskToken, so both get the service's row.
	"bedrock": {"invokeModel": rrAll, "createModelCustomizationJob": rrAll},
	// "Manage AWS CodeBuild builds with Step Functions" (connect-codebuild),
	// per action.
	"codebuild": {
		"startBuild": rrSync, "stopBuild": rr, "batchDeleteBuilds": rr,
		"batchGetReports": rr, "startBuildBatch": rrSync, "stopBuildBatch": rr,
		"retryBuildBatch": rrSync, "deleteBuildBatch": rr,
	},
	// "Perform DynamoDB CRUD operations with Step Functions" (connect-ddb).
	"dynamodb": {"getItem": rr, "putItem": rr, "updateItem": rr, "deleteItem": rr},
	// "Run Amazon ECS or Fargate tasks with Step Functions" (connect-ecs).
	"ecs": {"runTask": rrAll},
	// "Create and manage Amazon EKS clusters with Step Functions"
	// (connect-eks).
	"eks": {
		"createCluster": rrAll, "deleteCluster": rrAll,
		"createFargateProfile": rrAll, "deleteFargateProfile": rrAll,
		"createNodegroup": rrAll, "deleteNodegroup": rrAll,
		"runJob": rrAll, "call": rrAll,
	},
	// "Create and manage Amazon EMR clusters with Step Functions"
	// (connect-emr).
	"elasticmapreduce": {
		"createCluster": rrSync, "setClusterTerminationProtection": rrSync,
		"modifyInstanceFleetByName": rrSync, "modifyInstanceGroupByName": rrSync,
		"terminateCluster": rrSync, "addStep": rrSync, "cancelStep": rrSync,
	},
	// "Create and manage Amazon EMR on EKS clusters with Step Functions"
	// (connect-emr-eks).
	"emr-containers": {"createVirtualCluster": rrSync, "deleteVirtualCluster": rrSync, "startJobRun": rrSync},
	// "Create and manage Amazon EMR Serverless applications with Step
	// Functions" (connect-emr-serverless).
	"emr-serverless": {
		"createApplication": rrSync, "startApplication": rrSync,
		"stopApplication": rrSync, "deleteApplication": rrSync,
		"startJobRun": rrSync, "cancelJobRun": rrSync,
	},
	// "Add EventBridge events with Step Functions" (connect-eventbridge).
	"events": {"putEvents": rrWait},
	// "Start an AWS Glue job with Step Functions" (connect-glue).
	"glue": {"startJobRun": rrSync},
	// "Start AWS Glue DataBrew jobs with Step Functions" (connect-databrew).
	"databrew": {"startJobRun": rrSync},
	// "Invoke an AWS Lambda function with Step Functions" (connect-lambda).
	"lambda": {"invoke": rrWait},
	// "Create and manage MediaConvert jobs with Step Functions"
	// (connect-mediaconvert).
	"mediaconvert": {"createJob": rrSync},
	// "Create and manage Amazon SageMaker AI jobs with Step Functions"
	// (connect-sagemaker).
	"sagemaker": {
		"createEndpoint": rrSync, "createEndpointConfig": rrSync,
		"createHyperParameterTuningJob": rrSync, "createLabelingJob": rrSync,
		"createModel": rrSync, "createProcessingJob": rrSync,
		"createTrainingJob": rrSync, "createTransformJob": rrSync,
		"updateEndpoint": rrSync,
	},
	// "Publish messages to an Amazon SNS topic with Step Functions"
	// (connect-sns).
	"sns": {"publish": rrWait},
	// "Send messages to an Amazon SQS queue with Step Functions"
	// (connect-sqs).
	"sqs": {"sendMessage": rrWait},
	// "Start a new AWS Step Functions state machine from a running
	// execution" (connect-stepfunctions): .sync returns the output as a
	// JSON string, .sync:2 as JSON.
	"states": {"startExecution": rrAll | RunJob2},
	// "Call HTTPS APIs in Step Functions workflows" (call-https-apis).
	"http": {"invoke": rr},
}

// Integration is a Task resource of the arn:<partition>:states:::<service>
// form, split into its parts.
type Integration struct {
	// Service is the optimized service ("lambda") or "aws-sdk".
	Service string
	// SDKService is the service of an aws-sdk integration ("s3").
	SDKService string
	// Action is the API action as the Resource spells it ("invoke").
	Action string
	// Suffix is the pattern suffix as written ("", ".sync",
	// ".waitForTaskToken").
	Suffix string
}

// Patterns returns the patterns AWS offers for the integration's service
// and action; zero when it offers no such integration.
func (in Integration) Patterns() Pattern {
	if in.Service == sdkService {
		if in.SDKService == "" || in.Action == "" {
			return 0
		}
		return sdkPatterns
	}
	return optimized[in.Service][in.Action]
}

// Offered reports whether AWS offers the integration with its pattern.
func (in Integration) Offered() bool {
	p, known := patternSuffixes[in.Suffix]
	return known && in.Patterns()&p != 0
}
