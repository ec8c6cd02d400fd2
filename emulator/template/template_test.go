package template

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var opts = Options{Region: "us-east-1", Account: "123456789012"}

// The repository's own template is the one users deploy to AWS; it must
// load as is.
func TestLoadRepositoryTemplate(t *testing.T) {
	tpl, err := Load("../../template.yaml", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Functions) != 3 || len(tpl.StateMachines) != 1 || len(tpl.Rules) != 2 || len(tpl.Policies) != 1 ||
		len(tpl.Things) != 1 || len(tpl.EventRules) != 1 {
		t.Fatalf("resources: %+v", tpl)
	}
	wantEvents := EventRule{LogicalID: "CancelJobFunctionExecutionEnded", Name: "CancelJobFunctionExecutionEnded",
		EventPattern: `{"detail":{"stateMachineArn":["arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"],` +
			`"status":["ABORTED","TIMED_OUT","FAILED"]},"detail-type":["Step Functions Execution Status Change"],"source":["aws.states"]}`,
		Target: EventTarget{ID: "CancelJobFunctionExecutionEndedLambdaTarget", Arn: "arn:aws:lambda:us-east-1:123456789012:function:CancelJobFunction"}}
	if d := cmp.Diff(wantEvents, tpl.EventRules[0]); d != "" {
		t.Errorf("event rule (-want +got):\n%s", d)
	}
	sm := tpl.StateMachines[0]
	if !strings.Contains(string(sm.Definition), `"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:SendToWorkerFunction"`) {
		t.Errorf("DefinitionSubstitutions not applied:\n%s", sm.Definition)
	}
	complete := []RuleAction{{Lambda: "arn:aws:lambda:us-east-1:123456789012:function:SendToLambdaFunction"}}
	wantRules := []Rule{
		{LogicalID: "ProgressToLambdaTopicRule", Name: "ProgressToLambdaTopic",
			SQL: "SELECT * FROM 'tenant1/to/lambda/progress/#' WHERE kind = 'progress'", Actions: complete},
		{LogicalID: "TaskTokenToLambdaTopicRule", Name: "TaskTokenToLambdaTopic",
			SQL: "SELECT * FROM 'tenant1/to/lambda'", Actions: complete},
	}
	if d := cmp.Diff(wantRules, tpl.Rules); d != "" {
		t.Errorf("rules (-want +got):\n%s", d)
	}
	if got := tpl.Things[0].Name; got != "mqtt-container-client" {
		t.Errorf("thing = %q", got)
	}
	pol := tpl.Policies[0]
	if pol.Name != "OnPremContainer" || !strings.Contains(pol.Document, `arn:aws:iot:us-east-1:123456789012:topicfilter/tenant1/to/worker`) {
		t.Errorf("policy = %+v", pol)
	}
	for _, f := range tpl.Functions {
		if f.Name == "SendToWorkerFunction" && f.Environment["WORKER_TOPIC"] != "tenant1/to/worker" {
			t.Errorf("WORKER_TOPIC = %q", f.Environment["WORKER_TOPIC"])
		}
		if f.Name == "CancelJobFunction" && f.Environment["CONTROL_TOPIC"] != "tenant1/to/worker/control" {
			t.Errorf("CONTROL_TOPIC = %q", f.Environment["CONTROL_TOPIC"])
		}
		if f.Timeout != 15 {
			t.Errorf("%s: Globals Timeout not applied: %v", f.Name, f.Timeout)
		}
	}
}

func TestParameterOverride(t *testing.T) {
	o := opts
	o.Parameters = map[string]string{"LambdaTopic": "tenant9/results"}
	tpl, err := Load("../../template.yaml", o)
	if err != nil {
		t.Fatal(err)
	}
	if got := ruleSQL(tpl, "TaskTokenToLambdaTopic"); got != "SELECT * FROM 'tenant9/results'" {
		t.Fatalf("SQL = %q", got)
	}
	o.Parameters = map[string]string{"Nope": "x"}
	if _, err := Load("../../template.yaml", o); err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("undeclared parameter: err = %v", err)
	}
}

func ruleSQL(tpl *Template, name string) string {
	for _, r := range tpl.Rules {
		if r.Name == name {
			return r.SQL
		}
	}
	return ""
}

func TestRefusals(t *testing.T) {
	tests := []struct{ name, yaml, wantErr string }{
		{"unhonoured property", `
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: x/, Runtime: provided.al2023, Layers: [a]}`, "cannot honour properties Layers"},
		{"java runtime", `
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: x/, Runtime: java21}`, "runtime java21"},
		{"non-lambda rule action", `
Resources:
  R:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload: {Sql: "SELECT * FROM 'a'", Actions: [{Sqs: {QueueUrl: q}}]}`, "Sqs actions: stepwire runs only"},
		{"name refers to itself", `
Resources:
  T:
    Type: AWS::IoT::Thing
    Properties: {ThingName: !Ref T}`, "depends on itself"},
		{"unknown ref", `
Resources:
  T:
    Type: AWS::IoT::Thing
    Properties: {ThingName: !Ref Missing}`, "Ref Missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), ".", opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestRuleActions(t *testing.T) {
	tpl, err := Parse([]byte(`
Resources:
  R:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload:
        Sql: "SELECT * FROM 'a/#'"
        Actions:
          - StepFunctions: {StateMachineName: m, ExecutionNamePrefix: p, RoleArn: r}
          - Republish: {Topic: "b/${topic(2)}", Qos: 1, RoleArn: r}
        ErrorAction:
          Lambda: {FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:errors}`), ".", opts)
	if err != nil {
		t.Fatal(err)
	}
	want := Rule{LogicalID: "R", Name: "R", SQL: "SELECT * FROM 'a/#'", Actions: []RuleAction{
		{StepFunctions: &StepFunctionsAction{StateMachineName: "m", ExecutionNamePrefix: "p", RoleArn: "r"}},
		{Republish: &RepublishAction{Topic: "b/${topic(2)}", Qos: 1, RoleArn: "r"}},
	}, ErrorAction: &RuleAction{Lambda: "arn:aws:lambda:us-east-1:123456789012:function:errors"}}
	if d := cmp.Diff(want, tpl.Rules[0]); d != "" {
		t.Fatalf("rule (-want +got):\n%s", d)
	}
}

func TestUnknownTypesListed(t *testing.T) {
	tpl, err := Parse([]byte(`
Resources:
  Q: {Type: AWS::SQS::Queue}
  T: {Type: AWS::IoT::Thing, Properties: {ThingName: t1}}
  L:
    Type: AWS::Lambda::Function
    Properties: {Code: {}}`), ".", opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"L (AWS::Lambda::Function)", "Q (AWS::SQS::Queue)"}, tpl.Unknown); d != "" {
		t.Fatalf("unknown (-want +got):\n%s", d)
	}
}

func TestActivity(t *testing.T) {
	tpl, err := Parse([]byte(`
Resources:
  A: {Type: AWS::StepFunctions::Activity, Properties: {Name: jobs}}
  T: {Type: AWS::IoT::Thing, Properties: {ThingName: !Ref A}}`), ".", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Activities) != 1 || tpl.Activities[0].Name != "jobs" {
		t.Fatalf("activities = %+v", tpl.Activities)
	}
	// Ref of an activity is its ARN, as in CloudFormation.
	if got := tpl.Things[0].Name; got != "arn:aws:states:us-east-1:123456789012:activity:jobs" {
		t.Fatalf("Ref activity = %q", got)
	}
}

func TestLongFormIntrinsics(t *testing.T) {
	tpl, err := Parse([]byte(`
Parameters:
  P: {Type: String, Default: v}
Resources:
  T:
    Type: AWS::IoT::Thing
    Properties:
      ThingName: {"Fn::Join": ["-", [{"Ref": "P"}, {"Fn::Sub": "${AWS::Region}"}]]}`), ".", opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := tpl.Things[0].Name; got != "v-us-east-1" {
		t.Fatalf("name = %q", got)
	}
}

// TestStackView: the repository's template as DescribeStacks and
// ListStackResources show it once deployed (docs/cloudformation.md §3):
// outputs resolved, SAM types transformed, physical ids what Ref returns.
func TestStackView(t *testing.T) {
	tpl, err := Load("../../template.yaml", Options{Region: "eu-west-1", Account: "111122223333", StackName: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, o := range tpl.Outputs {
		outputs[o.Key] = o.Value
	}
	if outputs["StateMachineArn"] != "arn:aws:states:eu-west-1:111122223333:stateMachine:MqttBasedStateMachine" || tpl.StackName != "prod" {
		t.Errorf("outputs = %v", outputs)
	}
	res := map[string]StackResource{}
	for _, r := range tpl.Resources {
		res[r.LogicalID] = r
	}
	for id, want := range map[string]StackResource{
		"SendToWorkerFunction":       {"SendToWorkerFunction", "AWS::Lambda::Function", "SendToWorkerFunction"},
		"MqttBasedStateMachine":      {"MqttBasedStateMachine", "AWS::StepFunctions::StateMachine", "arn:aws:states:eu-west-1:111122223333:stateMachine:MqttBasedStateMachine"},
		"TaskTokenToLambdaTopicRule": {"TaskTokenToLambdaTopicRule", "AWS::IoT::TopicRule", "TaskTokenToLambdaTopic"},
		"IoTToContainerPolicy":       {"IoTToContainerPolicy", "AWS::IoT::Policy", "OnPremContainer"},
	} {
		if res[id] != want {
			t.Errorf("%s = %+v, want %+v", id, res[id], want)
		}
	}
	if len(tpl.Resources) != 13 {
		t.Errorf("%d resources listed", len(tpl.Resources))
	}
}
