package asl

import "testing"

// notRecognized is the problem a Task S with resource res gets.
func notRecognized(res string) string {
	return "SCHEMA_VALIDATION_FAILED: The resource provided " + res +
		" is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/S/Resource"
}

// taskWith is a JSONPath machine whose only state is a Task on res.
func taskWith(res string) string {
	return oneState(`{"Type":"Task","Resource":"` + res + `","End":true}`)
}

// Resources AWS refuses at create time. Each row cites the Developer Guide
// page whose table leaves the integration out (docs/step-functions.md §4.6).
func TestUnofferedIntegrationsRefused(t *testing.T) {
	rows := []struct{ name, res string }{
		// integrate-optimized: no optimized integration for this service.
		{"unknown service", "arn:aws:states:::s3:getObject"},
		{"made-up service", "arn:aws:states:::nosuchservice:doIt"},
		// connect-lambda: the only action is invoke.
		{"lambda unknown action", "arn:aws:states:::lambda:invokeAsync"},
		// connect-lambda / integrate-optimized: Lambda has no Run a Job.
		{"lambda .sync", "arn:aws:states:::lambda:invoke.sync"},
		// connect-ddb: DynamoDB is Request Response only.
		{"dynamodb waitForTaskToken", "arn:aws:states:::dynamodb:putItem.waitForTaskToken"},
		{"dynamodb unknown action", "arn:aws:states:::dynamodb:query"},
		// connect-sqs: sendMessage, no .sync.
		{"sqs .sync", "arn:aws:states:::sqs:sendMessage.sync"},
		// connect-batch: Batch has no Wait for Callback.
		{"batch waitForTaskToken", "arn:aws:states:::batch:submitJob.waitForTaskToken"},
		// connect-codebuild: stopBuild is Request Response only.
		{"codebuild stopBuild .sync", "arn:aws:states:::codebuild:stopBuild.sync"},
		// connect-stepfunctions: .sync:2 is startExecution's alone.
		{"glue .sync:2", "arn:aws:states:::glue:startJobRun.sync:2"},
		{"unknown suffix", "arn:aws:states:::states:startExecution.sync:3"},
		// integrate-optimized: AWS SDK integrations do not support .sync.
		{"aws-sdk .sync", "arn:aws:states:::aws-sdk:s3:listBuckets.sync"},
		{"aws-sdk without action", "arn:aws:states:::aws-sdk:s3"},
		{"aws-sdk without service", "arn:aws:states:::aws-sdk:"},
		{"empty integration", "arn:aws:states:::"},
		// The check applies in every partition.
		{"china partition", "arn:aws-cn:states:::lambda:invoke.sync"},
	}
	tests := make([]problemCase, len(rows))
	for i, r := range rows {
		tests[i] = problemCase{name: r.name, def: taskWith(r.res), want: []string{notRecognized(r.res)}}
	}
	checkProblems(t, tests)
}

// Resources AWS accepts, including every integration stepwire runs or
// mocks: they must keep parsing.
func TestOfferedIntegrationsAccepted(t *testing.T) {
	for _, res := range []string{
		"arn:aws:states:::lambda:invoke",
		"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"arn:aws:lambda:us-east-1:123456789012:function:f",
		"arn:aws:lambda:us-east-1:123456789012:function:f:live",
		"arn:aws:states:us-east-1:123456789012:activity:a",
		"arn:aws:states:::sqs:sendMessage",
		"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"arn:aws:states:::sns:publish.waitForTaskToken",
		"arn:aws:states:::dynamodb:getItem",
		"arn:aws:states:::dynamodb:deleteItem",
		"arn:aws:states:::events:putEvents",
		"arn:aws:states:::states:startExecution",
		"arn:aws:states:::states:startExecution.sync",
		"arn:aws:states:::states:startExecution.sync:2",
		"arn:aws:states:::states:startExecution.waitForTaskToken",
		"arn:aws:states:::ecs:runTask.sync",
		"arn:aws:states:::ecs:runTask.waitForTaskToken",
		"arn:aws:states:::batch:submitJob.sync",
		"arn:aws:states:::glue:startJobRun.sync",
		"arn:aws:states:::codebuild:startBuild.sync",
		"arn:aws:states:::athena:startQueryExecution.sync",
		"arn:aws:states:::apigateway:invoke.waitForTaskToken",
		"arn:aws:states:::http:invoke",
		"arn:aws:states:::bedrock:invokeModel",
		"arn:aws:states:::eks:call",
		"arn:aws:states:::aws-sdk:s3:listBuckets",
		"arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
		"arn:aws:states:::aws-sdk:dynamodb:query",
		"arn:aws-us-gov:states:::sqs:sendMessage",
	} {
		if _, err := Parse([]byte(taskWith(res)), Options{}); err != nil {
			t.Errorf("%s: %v", res, err)
		}
	}
}

// JSONata Tasks are checked the same way.
func TestUnofferedIntegrationJSONata(t *testing.T) {
	res := "arn:aws:states:::lambda:invoke.sync"
	checkProblems(t, []problemCase{{
		name: "jsonata", def: jsonataState(`{"Type":"Task","Resource":"` + res + `","End":true}`),
		want: []string{notRecognized(res)},
	}})
}

// An unrecognised resource in an Express machine gets that one problem, not
// the Express one as well; a recognised one still gets the Express text
// AWS recorded (test_illegal_callbacks).
func TestUnofferedIntegrationExpress(t *testing.T) {
	bad := "arn:aws:states:::lambda:invoke.sync"
	checkProblems(t, []problemCase{
		{name: "unrecognised", typ: TypeExpress, def: taskWith(bad), want: []string{notRecognized(bad)}},
		{
			name: "recognised", typ: TypeExpress, def: taskWith("arn:aws:states:::states:startExecution.sync"),
			want: []string{"SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/S/Resource"},
		},
	})
}

// A .waitForTaskToken task whose Parameters never pass $$.Task.Token is
// accepted: AWS ran one (conformance case
// scenarios.test_base_scenarios__test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_HEARTBEATSECONDSPATH).
func TestWaitForTaskTokenWithoutTokenAccepted(t *testing.T) {
	def := oneState(`{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken","Parameters":{},"End":true}`)
	if _, err := Parse([]byte(def), Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestParseIntegration(t *testing.T) {
	for _, tt := range []struct {
		res  string
		want Integration
		ok   bool
	}{
		{"arn:aws:states:::states:startExecution.sync:2", Integration{Service: "states", Action: "startExecution", Suffix: ".sync:2"}, true},
		{"arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken", Integration{Service: "aws-sdk", SDKService: "s3", Action: "listBuckets", Suffix: ".waitForTaskToken"}, true},
		{"arn:aws:states:::lambda:invoke", Integration{Service: "lambda", Action: "invoke"}, true},
		{"arn:aws:states:us-east-1:123456789012:activity:a", Integration{}, false},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", Integration{}, false},
		{"not-an-arn", Integration{}, false},
	} {
		got, ok := ParseIntegration(tt.res)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseIntegration(%q) = %+v, %v; want %+v, %v", tt.res, got, ok, tt.want, tt.ok)
		}
	}
}
