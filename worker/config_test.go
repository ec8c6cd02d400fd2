package worker

import (
	"flag"
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "abc-ats.iot.eu-west-1.amazonaws.com", want: "mqtts://abc-ats.iot.eu-west-1.amazonaws.com:8883"},
		{in: "127.0.0.1:18883", want: "mqtts://127.0.0.1:18883"},
		{in: "mqtts://localhost:1883", want: "mqtts://localhost:1883"},
		{in: "tls://localhost", want: "mqtts://localhost:8883"},
		{in: "[::1]:9000", want: "mqtts://[::1]:9000"},
		{in: "::1", want: "mqtts://[::1]:8883"},
		{in: "mqtt://localhost:1883", err: "not supported"},
		{in: "mqtts://:8883", err: "no host"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := ParseEndpoint(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseEndpoint(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || u.String() != tt.want {
				t.Fatalf("ParseEndpoint(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
			}
		})
	}
}

func TestFlagsOverrideEnv(t *testing.T) {
	env := map[string]string{
		"ENDPOINT": "env-host", "CA_FILE": "ca.pem", "DEVICE_CERT": "c.pem", "PRIVATE_KEY": "k.pem",
		"CLIENT_ID": "env-id", "SUBSCRIBE_TOPIC": "tenant1/to/worker", "SUBMIT_TOPIC": "tenant1/to/lambda",
	}
	cfg := EnvConfig(func(k string) string { return env[k] })
	fs := flag.NewFlagSet("w", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"--endpoint", "flag-host:1234", "--client-id", "flag-id"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Endpoint != "flag-host:1234" || cfg.ClientID != "flag-id" || cfg.CAFile != "ca.pem" || cfg.SubmitTopic != "tenant1/to/lambda" {
		t.Fatalf("config = %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := cfg.ControlTopic(); got != "tenant1/to/worker/control" {
		t.Fatalf("ControlTopic = %q", got)
	}
}

func TestValidateNamesEveryMissingSetting(t *testing.T) {
	err := Config{Endpoint: "mqtt://x"}.Validate()
	if err == nil {
		t.Fatal("Validate of an empty config succeeded")
	}
	for _, want := range []string{"CA_FILE", "DEVICE_CERT", "PRIVATE_KEY", "CLIENT_ID", "SUBSCRIBE_TOPIC", "SUBMIT_TOPIC", "not supported"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

// The sql job's database comes from DATABASE_URL, and --database overrides it.
func TestDatabaseFromEnvAndFlag(t *testing.T) {
	cfg := EnvConfig(func(k string) string { return map[string]string{"DATABASE_URL": "/data/env.db"}[k] })
	if cfg.Database != "/data/env.db" {
		t.Fatalf("Database = %q, want DATABASE_URL's", cfg.Database)
	}
	fs := flag.NewFlagSet("w", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"--database", "postgres://db/plant"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Database != "postgres://db/plant" {
		t.Fatalf("Database = %q, want the flag's", cfg.Database)
	}
}

// A share group turns the job subscription into $share/<group>/<topic>;
// the control topic stays unshared; a group IoT Core would refuse is an error.
func TestShareGroup(t *testing.T) {
	cfg := Config{SubscribeTopic: "tenant1/to/worker"}
	if got := cfg.JobFilter(); got != "tenant1/to/worker" {
		t.Errorf("no group: %q", got)
	}
	cfg.ShareGroup = "tenant1-workers"
	if got := cfg.JobFilter(); got != "$share/tenant1-workers/tenant1/to/worker" {
		t.Errorf("group: %q", got)
	}
	if got := cfg.ControlTopic(); got != "tenant1/to/worker/control" {
		t.Errorf("control topic: %q", got)
	}
	for _, bad := range []string{"a/b", "a+", "#", strings.Repeat("g", 129)} {
		if err := validateShareGroup(bad); err == nil {
			t.Errorf("share group %q accepted", bad)
		}
	}
}
