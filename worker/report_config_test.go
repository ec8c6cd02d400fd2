package worker

import (
	"strings"
	"testing"
)

// TestValidateReport: direct reporting needs the three ARNs and a region,
// and no submit topic; an unknown mode is refused (docs/roles-anywhere.md §4).
func TestValidateReport(t *testing.T) {
	base := Config{Endpoint: "localhost", CAFile: "ca", CertFile: "c", KeyFile: "k", ClientID: "w", SubscribeTopic: "jobs"}
	direct := DirectConfig{TrustAnchorArn: "ta", ProfileArn: "p", RoleArn: "r", Region: "us-east-1"}
	tests := []struct {
		name    string
		edit    func(*Config)
		wantErr []string
	}{
		{name: "mqtt needs a submit topic", edit: func(c *Config) {}, wantErr: []string{"submit topic is not set"}},
		{name: "direct without submit topic", edit: func(c *Config) { c.Report, c.Direct = ReportDirect, direct }},
		{name: "direct without ARNs", edit: func(c *Config) { c.Report = ReportDirect },
			wantErr: []string{"TRUST_ANCHOR_ARN", "PROFILE_ARN", "ROLE_ARN", "AWS_REGION"}},
		{name: "direct with a bad session length", edit: func(c *Config) {
			c.Report, c.Direct = ReportDirect, direct
			c.Direct.SessionSeconds = 60
		}, wantErr: []string{"outside 900-43200"}},
		{name: "unknown mode", edit: func(c *Config) { c.Report, c.SubmitTopic = "http", "results" }, wantErr: []string{`report "http"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.edit(&c)
			err := c.Validate()
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, w := range tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to mention %q", err, w)
				}
			}
		})
	}
}

func TestEnvConfigReadsDirectSettings(t *testing.T) {
	env := map[string]string{"REPORT": "direct", "TRUST_ANCHOR_ARN": "ta", "PROFILE_ARN": "p", "ROLE_ARN": "r",
		"AWS_DEFAULT_REGION": "eu-west-1", "SFN_ENDPOINT": "http://s", "ROLESANYWHERE_ENDPOINT": "http://ra"}
	c := EnvConfig(func(k string) string { return env[k] })
	want := DirectConfig{TrustAnchorArn: "ta", ProfileArn: "p", RoleArn: "r", Region: "eu-west-1",
		SFNEndpoint: "http://s", RolesAnywhereEndpoint: "http://ra"}
	if c.Report != ReportDirect || c.Direct != want {
		t.Fatalf("config = %q %+v", c.Report, c.Direct)
	}
}
