package template

import (
	"strings"
	"testing"
)

const rolesAnywhereTemplate = `
Parameters:
  CA:
    Type: String
    Default: ''
Resources:
  Anchor:
    Type: AWS::RolesAnywhere::TrustAnchor
    Properties:
      Name: anchor
      Source:
        SourceType: CERTIFICATE_BUNDLE
        SourceData:
          X509CertificateData: !Ref CA
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: rolesanywhere.amazonaws.com}
            Action: [sts:AssumeRole, sts:TagSession]
      Policies: []
  Other:
    Type: AWS::IAM::Role
    Properties:
      RoleName: other
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  Profile:
    Type: AWS::RolesAnywhere::Profile
    Properties:
      Name: profile
      Enabled: false
      DurationSeconds: 900
      RoleArns: [!GetAtt Role.Arn, !GetAtt Other.Arn]
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub '{"Comment":"${Anchor} ${Profile} ${Anchor.TrustAnchorArn}"}'
`

// TestRolesAnywhereResources reads trust anchors, profiles and IAM roles
// with their Ref and GetAtt values (docs/roles-anywhere.md §3.1).
func TestRolesAnywhereResources(t *testing.T) {
	tpl, err := Parse([]byte(rolesAnywhereTemplate), ".", Options{Region: "us-east-1", Account: "123456789012"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.TrustAnchors) != 1 || len(tpl.Profiles) != 1 || len(tpl.Roles) != 2 {
		t.Fatalf("template = %+v", tpl)
	}
	ta, p := tpl.TrustAnchors[0], tpl.Profiles[0]
	if !ta.Enabled || ta.CertificatePEM != "" || !strings.HasPrefix(ta.Arn, "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/") {
		t.Errorf("trust anchor = %+v", ta)
	}
	if p.Enabled || p.DurationSeconds != 900 || strings.Join(p.RoleArns, ",") !=
		"arn:aws:iam::123456789012:role/Role,arn:aws:iam::123456789012:role/other" {
		t.Errorf("profile = %+v", p)
	}
	trusts := map[string]bool{}
	for _, r := range tpl.Roles {
		trusts[r.Name] = r.TrustsRolesAnywhere
	}
	if !trusts["Role"] || trusts["other"] {
		t.Errorf("trust = %v", trusts)
	}
	taID := ta.Arn[strings.LastIndex(ta.Arn, "/")+1:]
	pID := p.Arn[strings.LastIndex(p.Arn, "/")+1:]
	if want := `{"Comment":"` + taID + ` ` + pID + ` ` + ta.Arn + `"}`; string(tpl.StateMachines[0].Definition) != want {
		t.Errorf("definition = %s, want %s", tpl.StateMachines[0].Definition, want)
	}
	again, _ := Parse([]byte(rolesAnywhereTemplate), ".", Options{Region: "us-east-1", Account: "123456789012"})
	if again.TrustAnchors[0].Arn != ta.Arn {
		t.Error("trust anchor ARN differs between loads")
	}
}

func TestRolesAnywhereRefusals(t *testing.T) {
	for name, repl := range map[string][2]string{
		"acm pca source":     {"SourceType: CERTIFICATE_BUNDLE", "SourceType: AWS_ACM_PCA"},
		"unknown property":   {"DurationSeconds: 900", "DurationSeconds: 900\n      Bogus: 1"},
		"role path":          {"RoleName: other", "RoleName: other\n      Path: /svc/"},
		"fractional seconds": {"DurationSeconds: 900", "DurationSeconds: 900.5"},
	} {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(rolesAnywhereTemplate, repl[0], repl[1], 1)
			if _, err := Parse([]byte(src), ".", Options{Region: "us-east-1", Account: "123456789012"}); err == nil {
				t.Fatal("template accepted")
			}
		})
	}
}
