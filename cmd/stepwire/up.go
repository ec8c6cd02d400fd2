package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator"
	"github.com/stepwire/stepwire/emulator/iotemu"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/hoplog"
)

func up(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	tpl := fs.String("template", "template.yaml", "SAM template to load")
	dataDir := fs.String("data-dir", ".stepwire", "directory for the local CA, endpoints.json and the state file state.db")
	inMemory := fs.Bool("in-memory", false, "keep no state file (state.db): IoT registry, retained messages, state machines and activities start empty and are lost when stepwire stops")
	syncMode := fs.String("sync", store.SyncBackground.String(), "when the state file's log reaches the disk: background (every acknowledged change survives a crash of stepwire; "+
		"a crash of the machine may lose the last milliseconds) or commit (each change is synced before it is acknowledged, slower)")
	httpAddr := fs.String("http", "127.0.0.1:4566", "AWS API listen address; \":PORT\" binds loopback, \"0.0.0.0:PORT\" every interface, port 0 a free one")
	mqttAddr := fs.String("mqtt", "127.0.0.1:8883", "MQTT over TLS listen address; \":PORT\" binds loopback, \"0.0.0.0:PORT\" every interface, port 0 a free one")
	region := fs.String("region", arn.DefaultRegion, "emulated region")
	account := fs.String("account", arn.DefaultAccount, "emulated account id")
	verbose := fs.Bool("v", false, "log every decision, not only hops and warnings")
	mockPath := fs.String("mock-config", os.Getenv("SFN_MOCK_CONFIG"),
		"Step Functions Local mock config file (MockConfigFile.json); default $SFN_MOCK_CONFIG")
	throttle := fs.Bool("iot-throttle", false, "enforce IoT Core's per-connection rates: 100 publishes/s and 512 KiB/s, excess discarded")
	sessionExpiry := fs.Duration("iot-session-expiry", 0, "how long an MQTT 3.1.1 persistent session outlives its connection (default 1h, as IoT Core)")
	credsPath := fs.String("credentials", "", "AWS shared credentials file (INI, aws_access_key_id / aws_secret_access_key per profile): "+
		"check SigV4 signatures and let in only requests signed with its keys (off by default)")
	connectTimeout := fs.Duration("mqtt-connect-timeout", iotemu.DefaultConnectTimeout, "close an MQTT connection that has not sent CONNECT (TLS handshake included) within this time")
	requireSNI := fs.Bool("mqtt-require-sni", false, "refuse MQTT/TLS connections that send no server name (SNI), as IoT Core does; "+
		"clients must then reach the broker by a host name such as localhost, not an IP address")
	maxConns := fs.Int("mqtt-max-connections", iotemu.DefaultMaxConnections, "cap on concurrent MQTT connections; more are closed on accept")
	retain := fs.Int("retain-executions", sfnemu.DefaultRetainPerMachine,
		"closed executions kept readable per state machine; older ones are freed (0: no limit)")
	retainFor := fs.Duration("retain-for", sfnemu.DefaultRetainFor,
		"how long a closed execution stays readable after it stopped (0: no limit)")
	lambdaMode := fs.String("lambda-mode", emulator.LambdaInProcess,
		"inprocess: stepwire's own Go Lambdas run in-process, other functions as processes; process: every function runs as processes under the Lambda Runtime API")
	var hosts listFlag
	fs.Var(&hosts, "mqtt-host", "extra name the broker's TLS certificate covers and the AWS API answers to, e.g. a container's service name (repeatable)")
	var httpHosts, origins listFlag
	fs.Var(&httpHosts, "http-host", "extra name the AWS API answers to besides localhost and IP addresses (repeatable); other Host headers are refused")
	fs.Var(&origins, "allow-origin", "browser origin allowed to call the AWS API, or \"*\" (repeatable); requests with another Origin header are refused")
	var params paramFlags
	fs.Var(&params, "param", "template parameter override NAME=VALUE (repeatable)")
	stackName := fs.String("stack-name", emulator.DefaultStackName,
		"the template's stack name: AWS::StackName and the stack CloudFormation's DescribeStacks answers for")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *lambdaMode != emulator.LambdaInProcess && *lambdaMode != emulator.LambdaProcess {
		return fmt.Errorf("up: --lambda-mode %q: want inprocess or process", *lambdaMode)
	}
	sync, err := store.ParseSyncMode(*syncMode)
	if err != nil {
		return fmt.Errorf("up: --sync: %w", err)
	}
	logger := slog.New(hoplog.New(os.Stderr, *verbose))
	var mocks *mockconfig.Config
	if *mockPath != "" {
		var err error
		if mocks, err = mockconfig.Load(*mockPath); err != nil {
			return fmt.Errorf("up: %w", err)
		}
	}
	creds, err := loadCredentials(*credsPath)
	if err != nil {
		return fmt.Errorf("up: %w", err)
	}
	emu, err := emulator.New(emulator.Config{
		TemplatePath: *tpl, Parameters: params.m, StackName: *stackName, DataDir: *dataDir,
		HTTPAddr: *httpAddr, MQTTAddr: *mqttAddr, MQTTHosts: hosts,
		HTTPHosts: httpHosts, AllowOrigins: origins,
		IoTThrottle: *throttle, IoTSessionExpiry: *sessionExpiry,
		Region: *region, Account: *account, Logger: logger,
		MockConfig: mocks, Credentials: creds,
		MQTTConnectTimeout: *connectTimeout, MQTTMaxConnections: *maxConns, MQTTRequireSNI: *requireSNI,
		RetainExecutions: noLimitIfZero(*retain), RetainExecutionsFor: noLimitIfZero(*retainFor),
		LambdaMode: *lambdaMode, Durable: !*inMemory, Sync: sync,
	})
	if err != nil {
		return err
	}
	if err := emu.Start(ctx); err != nil {
		return err
	}
	ends := emu.Endpoints()
	fmt.Printf("stepwire is up\n  AWS API  %s\n  MQTT     %s (TLS, client certificate required)\n  CA       %s\n  console  %s\n  endpoints written to %s/endpoints.json\n",
		ends.HTTP, ends.MQTT, ends.CAFile, ends.Console, *dataDir)
	printSigning(*credsPath, creds)
	<-ctx.Done()
	fmt.Println("stepwire: shutting down")
	return closeWithin(emu, shutdownLimit)
}

// shutdownLimit bounds the shutdown after SIGTERM or Ctrl-C, whatever
// runs: executions are kept in memory only, so nothing is lost by not
// waiting longer.
const shutdownLimit = 2 * time.Second

// closeWithin closes emu, giving up after limit.
func closeWithin(emu interface{ Close() error }, limit time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- emu.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		return fmt.Errorf("up: shutdown still running after %v; exiting", limit)
	}
}

// noLimitIfZero maps a flag's 0 ("no limit") to the configuration's -1.
func noLimitIfZero[T int | time.Duration](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

// paramFlags collects repeated NAME=VALUE flags.
type paramFlags struct{ m map[string]string }

func (p *paramFlags) String() string { return fmt.Sprint(p.m) }

func (p *paramFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	if p.m == nil {
		p.m = map[string]string{}
	}
	p.m[k] = v
	return nil
}

// listFlag collects a repeatable (or comma-separated) string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}
