// Package emulator is stepwire's composition root: it wires the Lambda,
// Step Functions and IoT Core services together, serves their AWS APIs on
// one HTTP endpoint and the MQTT broker on another, and creates the
// resources of a SAM template.
package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/cfnemu"
	"github.com/stepwire/stepwire/emulator/console"
	"github.com/stepwire/stepwire/emulator/events"
	"github.com/stepwire/stepwire/emulator/events/eventsapi"
	"github.com/stepwire/stepwire/emulator/iotemu"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/lambdaemu/lambdaapi"
	"github.com/stepwire/stepwire/emulator/rolesanywhere"
	"github.com/stepwire/stepwire/emulator/scheduler"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
	"github.com/stepwire/stepwire/emulator/sfnemu/sfnapi"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/hop"
)

// Config configures an Emulator.
type Config struct {
	// TemplatePath is the SAM template to load at start; empty loads none.
	TemplatePath string
	// Parameters override the template's parameter defaults.
	Parameters map[string]string
	// StackName names the template's stack (AWS::StackName, and the stack
	// DescribeStacks answers for); DefaultStackName when empty.
	StackName string
	// DataDir keeps the local CA and endpoints.json.
	DataDir string
	// HTTPAddr and MQTTAddr are listen addresses; ":0" picks a free port.
	// An address without a host (":PORT") binds loopback; pass
	// "0.0.0.0:PORT" to listen on every interface. Both default to
	// loopback with a free port.
	HTTPAddr, MQTTAddr string
	// MQTTHosts are extra names the broker's TLS certificate covers, beside
	// localhost and the listen address. The AWS API answers to them too.
	MQTTHosts []string
	// HTTPHosts are extra names the AWS API answers to, beside localhost,
	// IP addresses, the MQTTHosts and the listen address: a request with
	// another Host is refused (awsapi.Exposure).
	HTTPHosts []string
	// AllowOrigins are the browser origins allowed to call the AWS API
	// ("*": any); a request with another Origin header is refused.
	AllowOrigins []string
	// IoTThrottle enforces IoT Core's per-connection rates (100 publishes/s
	// and 512 KiB/s; excess discarded). Off by default: tests run faster.
	IoTThrottle bool
	// IoTSessionExpiry is how long an MQTT 3.1.1 persistent session
	// outlives its connection (IoT Core's default, 1 hour, when zero).
	IoTSessionExpiry time.Duration
	// Region and Account name the emulated account (arn.DefaultRegion,
	// arn.DefaultAccount by default).
	Region, Account string
	// Clock drives every timer; the real clock by default.
	Clock clock.Clock
	// Logger receives the services' logs, "hop" lines included;
	// slog.Default() when nil.
	Logger *slog.Logger
	// MockConfig is a Step Functions Local mock configuration: executions
	// started with "<stateMachineArn>#<TestCase>" use its mocked responses.
	MockConfig *mockconfig.Config
	// Credentials, when not empty, turn on SigV4 signature checking: every
	// AWS API request must be signed with one of these keys (auth.go). The
	// in-process Lambdas sign with the first. Off by default.
	Credentials []awsapi.Credential
	// HTTPTimeouts bound the AWS API's connections (httpserver.go).
	HTTPTimeouts HTTPTimeouts
	// MQTTConnectTimeout is how long an MQTT connection has to finish the
	// TLS handshake and send CONNECT (iotemu.DefaultConnectTimeout).
	MQTTConnectTimeout time.Duration
	// MQTTMaxConnections caps concurrent MQTT connections
	// (iotemu.DefaultMaxConnections).
	MQTTMaxConnections int
	// MQTTRequireSNI refuses TLS connections that send no SNI
	// (iotemu.Config.RequireSNI).
	MQTTRequireSNI bool
	// RetainExecutions and RetainExecutionsFor are Step Functions'
	// retention of closed executions: how many per state machine, and how
	// long after they stopped (sfnemu.Config.RetainPerMachine, RetainFor:
	// the defaults when zero, no limit when negative).
	RetainExecutions    int
	RetainExecutionsFor time.Duration
	// LambdaMode is how the template's functions run: LambdaInProcess
	// (the default) binds Go functions whose CodeUri names one of
	// stepwire's own Lambdas to their in-process handlers and runs every
	// other function as processes; LambdaProcess runs them all as
	// processes speaking the Runtime API (docs/lambda.md §3.4).
	LambdaMode string
	// LambdaIdleTimeout is how long an idle function process is kept
	// warm (procenv.DefaultIdleTimeout when zero).
	LambdaIdleTimeout time.Duration
	// Durable keeps the IoT registry, retained messages, MQTT sessions,
	// state machines, activities, executions, EventBridge rules and
	// Scheduler schedules in <DataDir>/state.db across restarts
	// (docs/durability.md §4); off, everything is in memory.
	Durable bool
	// Sync is when the state file's log reaches the disk: in the
	// background (the default; every acknowledged change survives a crash
	// of the process) or before each change is acknowledged (a crash of
	// the machine too) (docs/durability.md §2).
	Sync store.SyncMode
	// WrapStore, when set with Durable, wraps the opened state file: the
	// emulator reads and writes through what it returns (tests that stop
	// its writes, as a killed process's, before closing it).
	WrapStore func(store.Store) store.Store
}

// Endpoints are where a started emulator listens.
type Endpoints struct {
	// HTTP is the AWS API endpoint URL (Step Functions, IoT, IoT data).
	HTTP string `json:"http"`
	// MQTT is the broker's host:port (MQTT over TLS, client certificate
	// required).
	MQTT string `json:"mqtt"`
	// Region and Account are the emulated account.
	Region  string `json:"region"`
	Account string `json:"account"`
	// CAFile is the emulator CA certificate clients trust.
	CAFile string `json:"caFile"`
	// Console is the web console's URL, on the HTTP endpoint.
	Console string `json:"console"`
}

// Emulator is a running stepwire.
type Emulator struct {
	cfg    Config
	Lambda *lambdaemu.Service
	SFN    *sfnemu.Service
	IoT    *iotemu.Service
	Events *events.Service // EventBridge's default bus; targets are Lambda Event invocations
	// Scheduler holds EventBridge Scheduler's schedules and rules'
	// schedules; their runs start executions on the emulator's clock.
	Scheduler *scheduler.Service
	// Stacks answers CloudFormation's reads for the loaded templates.
	Stacks  *cfnemu.Service
	router  *awsapi.Router
	httpSrv *http.Server
	httpLn  net.Listener
	ends    Endpoints
	store   store.Store     // nil when not Durable
	sfnSnap *store.Snapshot // the Step Functions configuration in store

	// RolesAnywhere issues temporary credentials for X.509 certificates.
	RolesAnywhere *rolesanywhere.Service
	// Console is the web console served at /console/.
	Console *console.Console
}

// New builds an emulator; Start makes it listen.
func New(cfg Config) (*Emulator, error) {
	cfg = withDefaults(cfg)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("new emulator: data dir: %w", err)
	}
	st, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	e := &Emulator{cfg: cfg, router: awsapi.NewRouter(), store: st}
	e.router.Logger = cfg.Logger.With("service", "api")
	e.Lambda = lambdaemu.New(cfg.Region, cfg.Account, cfg.Logger.With("service", "lambda"))
	e.SFN = sfnemu.New(sfnemu.Config{
		Clock: cfg.Clock, Region: cfg.Region, Account: cfg.Account,
		Invoke: e.invoke, StatusChange: e.statusChange, Logger: cfg.Logger.With("service", "states"),
		RetainPerMachine: cfg.RetainExecutions, RetainFor: cfg.RetainExecutionsFor, Store: st,
	})
	if cfg.MockConfig != nil {
		e.SFN.SetMockConfig(cfg.MockConfig)
	}
	if e.sfnSnap, err = restoreSFN(st, e.SFN); err != nil {
		e.SFN.Close()
		e.Lambda.Close()
		_ = e.closeStore()
		return nil, e.withStateFile(err)
	}
	iot, err := iotemu.New(iotemu.Config{
		DataDir: cfg.DataDir, MQTTAddr: cfg.MQTTAddr, Region: cfg.Region, Account: cfg.Account,
		Clock: cfg.Clock, Logger: cfg.Logger, InvokeAsync: e.Lambda.InvokeAsync,
		StartExecution: e.startExecution, ServerNames: cfg.MQTTHosts,
		Throttle: cfg.IoTThrottle, PersistentSessionExpiry: cfg.IoTSessionExpiry,
		ConnectTimeout: cfg.MQTTConnectTimeout, MaxConnections: cfg.MQTTMaxConnections,
		RequireSNI: cfg.MQTTRequireSNI,
		Store:      st,
	})
	if err != nil {
		e.SFN.Close()
		e.Lambda.Close()
		_ = e.closeStore()
		return nil, fmt.Errorf("new emulator: %w", e.withStateFile(err))
	}
	e.IoT = iot
	e.Events = events.New(events.Config{Region: cfg.Region, Account: cfg.Account, Clock: cfg.Clock,
		Deliver: e.Lambda.InvokeAsync, Logger: cfg.Logger.With("service", "events"), Store: st})
	e.router.HandleTarget(eventsapi.TargetPrefix, e.savingEvents(eventsapi.Handler(e.Events)))
	e.router.HandleTarget("AWSStepFunctions", e.savingSFN(sfnapi.Handler(e.SFN)))
	e.router.HandlePrefix("/", e.IoT.Handler())
	e.router.HandlePrefix("/_stepwire/", e.localAPI())
	e.router.HandlePrefix(lambdaapi.Prefix, lambdaapi.Handler(e.Lambda))
	e.newRolesAnywhere()
	e.newScheduler()
	if err := e.restoreEvents(); err != nil {
		return nil, err
	}
	e.newStacks()
	e.checkSignatures()
	e.Console = console.New(console.Config{SFN: e.SFN, IoT: e.IoT, Credentials: cfg.Credentials,
		Clock: cfg.Clock, Logger: cfg.Logger.With("service", "console")})
	return e, nil
}

func withDefaults(cfg Config) Config {
	if cfg.HTTPAddr == "" {
		cfg.HTTPAddr = "127.0.0.1:0"
	}
	if cfg.MQTTAddr == "" {
		cfg.MQTTAddr = "127.0.0.1:0"
	}
	cfg.HTTPAddr, cfg.MQTTAddr = listenAddr(cfg.HTTPAddr), listenAddr(cfg.MQTTAddr)
	cfg.Region, cfg.Account = arn.Or(cfg.Region, cfg.Account)
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	cfg.Logger = hop.OrDefault(cfg.Logger)
	if cfg.StackName == "" {
		cfg.StackName = DefaultStackName
	}
	if cfg.DataDir == "" {
		cfg.DataDir = ".stepwire"
	}
	return cfg
}

// invoke adapts the Lambda service to the Step Functions integration.
func (e *Emulator) invoke(ctx context.Context, fn string, payload []byte) (sfnemu.InvokeResult, error) {
	r, err := e.Lambda.Invoke(ctx, fn, payload)
	if errors.Is(err, lambdaemu.ErrFunctionNotFound) {
		err = fmt.Errorf("invoke %s: %w", fn, sfnemu.ErrFunctionNotFound)
	}
	return sfnemu.InvokeResult{Payload: r.Payload, FunctionError: r.FunctionError, ExecutedVersion: r.ExecutedVersion}, err
}

// statusChange sends a Standard execution's status change to the default
// event bus, as Step Functions does (docs/eventbridge.md §1).
func (e *Emulator) statusChange(ctx context.Context, ev sfnemu.StatusChangeEvent) {
	_, err := e.Events.Publish(ctx, events.Event{Source: "aws.states", DetailType: "Step Functions Execution Status Change",
		Resources: []string{ev.ExecutionArn}, Detail: ev.Detail()})
	if err != nil {
		e.cfg.Logger.Error("status change not sent", "executionArn", ev.ExecutionArn, "status", ev.Status, "error", err)
	}
}

// startExecution serves the IoT rules' stepFunctions action with the Step
// Functions service, as the action's role would call it on AWS.
func (e *Emulator) startExecution(ctx context.Context, machine, name, input string) error {
	smArn := arn.StateMachine(e.cfg.Region, e.cfg.Account, machine)
	_, err := e.SFN.StartExecution(ctx, sfnemu.StartExecutionInput{StateMachineArn: smArn, Name: &name, Input: &input})
	if err != nil {
		return fmt.Errorf("start execution of %s: %w", machine, err)
	}
	return nil
}

// Start opens the listeners, loads the template and writes
// <DataDir>/endpoints.json.
func (e *Emulator) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", e.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("start emulator: http listener: %w", err)
	}
	e.httpLn = ln
	e.httpSrv = newHTTPServer(e.apiHandler(), e.cfg.HTTPTimeouts)
	go func() { _ = e.httpSrv.Serve(ln) }()
	if err := e.IoT.Start(); err != nil {
		e.Close()
		return fmt.Errorf("start emulator: %w", err)
	}
	e.ends = Endpoints{
		HTTP: "http://" + dialAddr(ln.Addr().String()), MQTT: dialAddr(e.IoT.MQTTAddr()),
		Region: e.cfg.Region, Account: e.cfg.Account,
		CAFile: filepath.Join(e.cfg.DataDir, "root-CA.crt"),
	}
	e.ends.Console = e.ends.HTTP + console.Prefix
	if err := os.WriteFile(e.ends.CAFile, e.IoT.CACertPEM(), 0o644); err != nil {
		e.Close()
		return fmt.Errorf("start emulator: write CA: %w", err)
	}
	if e.cfg.TemplatePath != "" {
		if err := e.LoadTemplate(ctx, e.cfg.TemplatePath, e.cfg.Parameters); err != nil {
			e.Close()
			return fmt.Errorf("start emulator: %w", err)
		}
	}
	// The executions a durable start restored go on once what they call
	// and report to is in place: the template's functions, the API, the
	// event buses.
	e.SFN.ResumeExecutions()
	return e.writeEndpoints()
}

func (e *Emulator) writeEndpoints() error {
	b, err := json.MarshalIndent(e.ends, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(e.cfg.DataDir, "endpoints.json")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write endpoints: %w", err)
	}
	return os.Rename(tmp, path)
}

// Endpoints returns where the emulator listens (after Start).
func (e *Emulator) Endpoints() Endpoints { return e.ends }

// Handler is the AWS API handler, for in-process clients.
func (e *Emulator) Handler() http.Handler { return e.router }

// Bounds of Close: requests in flight get httpDrain to finish before their
// connections are closed; Step Functions' goroutines get sfnDrain.
const (
	httpDrain = 500 * time.Millisecond
	sfnDrain  = time.Second
)

// Close stops the listeners and the services, each after the ones that
// call it: the HTTP endpoint, then Step Functions (its integrations invoke
// Lambdas), then EventBridge (its targets are Lambdas), then Lambda
// (waiting for its Event invocations, which publish to IoT), then IoT Core.
// The HTTP endpoint and Step Functions wait for their work in flight a
// bounded time (httpDrain, sfnDrain), so a slow state or a long poll does
// not hold up the shutdown.
func (e *Emulator) Close() error {
	var errs []error
	e.Console.Close() // its live-update streams would hold up the HTTP drain
	if e.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), httpDrain)
		if err := e.httpSrv.Shutdown(ctx); err != nil {
			errs = append(errs, e.httpSrv.Close())
		}
		cancel()
	}
	e.Scheduler.Close()
	ctx, cancel := context.WithTimeout(context.Background(), sfnDrain)
	_ = e.SFN.Shutdown(ctx) // logged by the service
	cancel()
	e.Events.Close()
	e.Lambda.Close()
	errs = append(errs, e.IoT.Close(), e.closeStore())
	return errors.Join(errs...)
}
