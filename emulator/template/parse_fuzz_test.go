package template

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse parses arbitrary template bytes, with DefinitionUri files read
// from the repository root (so the repository's own template loads). Parse
// returns an error or a template, never panics, and succeeds or fails
// the same way twice. Inputs naming device or kernel files (/dev/zero, /proc/...) are
// skipped: reading them is not the parser's concern.
func FuzzParse(f *testing.F) {
	repo, err := os.ReadFile("../../template.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(repo)
	for _, s := range []string{
		"Resources:\n  SM:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub '{\"StartAt\":\"${X}\",\"States\":{}}'\n      DefinitionSubstitutions: {X: P}\n",
		"Resources:\n  R:\n    Type: AWS::IoT::TopicRule\n    Properties:\n      TopicRulePayload:\n        Sql: !Join ['', [\"SELECT * FROM '\", !Ref T, \"'\"]]\n        Actions: [{Lambda: {FunctionArn: !GetAtt F.Arn}}]\nParameters:\n  T: {Type: String, Default: a/b}\n",
		"Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument: {Statement: [{Effect: Allow, Action: '*', Resource: !Sub 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:*'}]}\n",
		"Resources:\n  A: {Type: AWS::StepFunctions::Activity, Properties: {Name: !Ref A}}\n",
		"Resources:\n  X: {Type: AWS::Nope, Properties: {}}\n  Y: {Type: AWS::Serverless::Function, Properties: {CodeUri: !GetAtt Y}}\n",
		"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
		"Resources: !Ref AWS::NoValue\n", "Resources: [1, 2]\n", "- a\n- b\n", "", "---\n---\n", "%YAML 1.1\n---\nx: y\n",
		"Resources:\n  S: {Type: AWS::Serverless::StateMachine, Properties: {DefinitionUri: does/not/exist.json}}\n",
		"Resources:\n  S: {Type: AWS::Serverless::StateMachine, Properties: {Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}, Name: !Sub '${AWS::StackName}-${!Literal}'}}\n",
		"x: !!binary AAAA\ny: 1e999999\nz: 0x10\nw: .inf\n", "\xff\xfe: \xfd\n", "{" + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dev := range []string{"dev/", "proc/", "sys/"} {
			if strings.Contains(string(data), dev) {
				return
			}
		}
		opts := Options{Region: "us-east-1", Account: "123456789012"}
		tpl, err := Parse(data, "../..", opts)
		tpl2, err2 := Parse(data, "../..", opts)
		// Only the outcome is compared: with several bad resources, which
		// one the error names follows map order.
		if (err == nil) != (err2 == nil) {
			t.Fatalf("Parse not deterministic: %v, then %v", err, err2)
		}
		if err == nil && (len(tpl.StateMachines) != len(tpl2.StateMachines) || len(tpl.Rules) != len(tpl2.Rules)) {
			t.Fatalf("Parse not deterministic: %+v, then %+v", tpl, tpl2)
		}
	})
}
