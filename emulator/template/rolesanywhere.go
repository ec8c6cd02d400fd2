package template

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/uuid"
)

// TrustAnchor is an AWS::RolesAnywhere::TrustAnchor with a
// CERTIFICATE_BUNDLE source (docs/roles-anywhere.md §3.1).
type TrustAnchor struct {
	LogicalID, Name, Arn string
	Enabled              bool
	// CertificatePEM is Source.SourceData.X509CertificateData; empty means
	// the emulator's own CA (docs/roles-anywhere.md §3.1).
	CertificatePEM string
}

// Profile is an AWS::RolesAnywhere::Profile.
type Profile struct {
	LogicalID, Name, Arn  string
	Enabled               bool
	RoleArns              []string
	DurationSeconds       int
	AcceptRoleSessionName bool
}

// Role is an AWS::IAM::Role: its ARN and whether its trust policy lets
// Roles Anywhere assume it.
type Role struct {
	LogicalID, Name, Arn string
	TrustsRolesAnywhere  bool
}

var (
	trustAnchorRules = propertyRules{
		honoured: []string{"Name", "Source", "Enabled"},
		noEffect: map[string]string{"NotificationSettings": "expiry notifications are not sent locally", "Tags": tagsOnly},
	}
	profileRules = propertyRules{
		honoured: []string{"Name", "RoleArns", "Enabled", "DurationSeconds", "AcceptRoleSessionName"},
		noEffect: map[string]string{
			"ManagedPolicyArns": iamNotModelled, "SessionPolicy": iamNotModelled, "AttributeMappings": iamNotModelled,
			"RequireInstanceProperties": iamNotModelled, "Tags": tagsOnly,
		},
	}
	iamRoleRules = propertyRules{
		honoured: []string{"RoleName", "AssumeRolePolicyDocument"},
		noEffect: map[string]string{
			"Policies": iamNotModelled, "ManagedPolicyArns": iamNotModelled, "PermissionsBoundary": iamNotModelled,
			"MaxSessionDuration": iamNotModelled, "Description": tagsOnly, "Tags": tagsOnly,
		},
	}
)

// rolesAnywhereID is the id the emulator gives a trust anchor or profile:
// a UUID derived from its kind and name, so a restarted emulator gives the
// same ARN and a worker's configuration stays valid.
func rolesAnywhereID(kind, name string) string {
	sum := sha256.Sum256([]byte(kind + "/" + name))
	return uuid.From(bytes.NewReader(sum[:]))
}

func (r *resolver) rolesAnywhereArn(kind, name string) string {
	return arn.RolesAnywhere(r.opts.Region, r.opts.Account, kind+"/"+rolesAnywhereID(kind, name))
}

func buildTrustAnchor(id, name, taArn string, p map[string]any) (TrustAnchor, error) {
	ta := TrustAnchor{LogicalID: id, Name: name, Arn: taArn, Enabled: boolOr(p["Enabled"], true)}
	src, _ := p["Source"].(map[string]any)
	typ, _ := src["SourceType"].(string)
	if typ != "CERTIFICATE_BUNDLE" {
		return ta, fmt.Errorf("Source.SourceType %q: stepwire honours CERTIFICATE_BUNDLE only", typ)
	}
	data, _ := src["SourceData"].(map[string]any)
	pem, ok := data["X509CertificateData"].(string)
	if _, pca := data["AcmPcaArn"]; pca || !ok {
		return ta, fmt.Errorf("Source.SourceData.X509CertificateData is required (empty: the emulator's CA)")
	}
	ta.CertificatePEM = strings.TrimSpace(pem)
	return ta, nil
}

func buildProfile(id, name, pArn string, p map[string]any) (Profile, error) {
	pr := Profile{LogicalID: id, Name: name, Arn: pArn, Enabled: boolOr(p["Enabled"], true),
		AcceptRoleSessionName: boolOr(p["AcceptRoleSessionName"], false)}
	roles, _ := p["RoleArns"].([]any)
	for _, r := range roles {
		s, ok := r.(string)
		if !ok || s == "" {
			return pr, fmt.Errorf("RoleArns must be a list of role ARNs")
		}
		pr.RoleArns = append(pr.RoleArns, s)
	}
	if len(pr.RoleArns) == 0 {
		return pr, fmt.Errorf("RoleArns is required")
	}
	if d, ok := p["DurationSeconds"]; ok {
		f, ok := d.(float64)
		if !ok || f != float64(int(f)) {
			return pr, fmt.Errorf("DurationSeconds must be an integer")
		}
		pr.DurationSeconds = int(f)
	}
	return pr, nil
}

// buildRole reads whether the trust policy has an Allow statement for the
// service principal rolesanywhere.amazonaws.com with sts:AssumeRole.
func buildRole(id, name, roleArn string, p map[string]any) Role {
	role := Role{LogicalID: id, Name: name, Arn: roleArn}
	doc, _ := p["AssumeRolePolicyDocument"].(map[string]any)
	stmts, _ := doc["Statement"].([]any)
	for _, s := range stmts {
		st, _ := s.(map[string]any)
		princ, _ := st["Principal"].(map[string]any)
		if st["Effect"] == "Allow" && listHas(princ["Service"], "rolesanywhere.amazonaws.com") &&
			(listHas(st["Action"], "sts:AssumeRole") || listHas(st["Action"], "sts:*")) {
			role.TrustsRolesAnywhere = true
		}
	}
	return role
}

// listHas reports whether v, a string or a list of strings, holds s.
func listHas(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case []any:
		for _, e := range x {
			if e == s {
				return true
			}
		}
	}
	return false
}

// boolOr reads a boolean property, which templates may write as a string.
func boolOr(v any, def bool) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return !strings.EqualFold(x, "false")
	}
	return def
}
