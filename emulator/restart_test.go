package emulator

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/store"
)

// startDurable starts a durable emulator with the sample template on
// dataDir.
func startDurable(t *testing.T, dataDir string) *Emulator {
	t.Helper()
	e, err := New(Config{DataDir: dataDir, Durable: true, TemplatePath: "../template.yaml",
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// restartDurable closes e, failing t if it does not close cleanly, and
// starts a new emulator on the same data dir.
func restartDurable(t *testing.T, e *Emulator, dir string) *Emulator {
	t.Helper()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return startDurable(t, dir)
}

func iotClient(e *Emulator) *iot.Client {
	return iot.NewFromConfig(aws.Config{Region: e.Endpoints().Region,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
		func(o *iot.Options) { o.BaseEndpoint = aws.String(e.Endpoints().HTTP) })
}

func sfnClient(e *Emulator) *sfn.Client {
	return sfn.NewFromConfig(aws.Config{Region: e.Endpoints().Region,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
		func(o *sfn.Options) { o.BaseEndpoint = aws.String(e.Endpoints().HTTP) })
}

const passDefinition = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

// TestRestartKeepsState: a certificate, a state machine with a version
// and an alias, and an activity made through the API are there after a
// restart on the same data dir, and the template's resources, already in
// the state file, load again (docs/durability.md §4).
func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	e := startDurable(t, dir)
	ctx := context.Background()
	kc, err := iotClient(e).CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	c := sfnClient(e)
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Kept"), Definition: aws.String(passDefinition),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Publish: true, Type: sfntypes.StateMachineTypeExpress})
	if err == nil {
		_, err = c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
			RoutingConfiguration: []sfntypes.RoutingConfigurationListItem{{StateMachineVersionArn: sm.StateMachineVersionArn, Weight: 100}}})
	}
	if err == nil {
		_, err = c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
	}
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	e = restartDurable(t, e, dir)
	defer e.Close()
	desc, err := iotClient(e).DescribeCertificate(ctx, &iot.DescribeCertificateInput{CertificateId: kc.CertificateId})
	if err != nil {
		t.Fatalf("certificate lost across the restart: %v", err)
	}
	if got := desc.CertificateDescription.Status; got != "ACTIVE" {
		t.Errorf("status after restart = %s", got)
	}
	if _, err := e.IoT.GetPolicy("OnPremContainer"); err != nil {
		t.Errorf("template policy: %v", err)
	}
	c = sfnClient(e)
	if _, err := c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{
		StateMachineAliasArn: aws.String(aws.ToString(sm.StateMachineArn) + ":live")}); err != nil {
		t.Errorf("alias after restart: %v", err)
	}
	ex, err := e.SFN.StartSyncExecution(ctx, sfnemu.StartSyncExecutionInput{StateMachineArn: aws.ToString(sm.StateMachineArn) + ":live"})
	if err != nil || ex.Status != "SUCCEEDED" {
		t.Errorf("execution of the kept alias: %v %v", ex, err)
	}
	acts, err := c.ListActivities(ctx, &sfn.ListActivitiesInput{})
	if err != nil || len(acts.Activities) != 1 {
		t.Errorf("activities after restart: %v %v", acts, err)
	}
}

// TestCorruptStateFileIsRefused: a damaged state file stops the start
// with an error naming it, and is left as it was (docs/durability.md §3).
func TestCorruptStateFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, StateFile)
	junk := []byte(strings.Repeat("this is not a state file\n", 500))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{DataDir: dir, Durable: true, Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("New = %v, want an error naming %s", err, path)
	}
	if after, _ := os.ReadFile(path); string(after) != string(junk) {
		t.Error("the damaged state file was changed")
	}
}

// TestCorruptRegistryIsRefused: a state file whose registry does not
// read back stops the start with an error naming the file.
func TestCorruptRegistryIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, StateFile)
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Apply(store.Put("iot-registry", "cert/x", []byte(`{"ID":"x","PEM":"junk"}`))); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = New(Config{DataDir: dir, Durable: true, Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "registry") {
		t.Fatalf("New = %v, want an error naming the registry and %s", err, path)
	}
}
