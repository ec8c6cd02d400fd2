package scenarios

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/stack"
	"github.com/stepwire/stepwire/internal/target"
)

// world is the system a run drives, as its target found it: where the
// APIs and the broker are, how to trust the broker, the names to use. A
// run reaches it only through these: the AWS APIs and MQTT.
type world struct {
	target string
	cfg    aws.Config // SDK configuration for the AWS APIs
	api    string     // the Step Functions endpoint URL, for raw histories and activity workers
	mqtt   string     // the broker's host:port
	roots  *x509.CertPool
	// serverName is the name the broker's certificate is checked against.
	serverName string
	fake       *clock.Fake // nil: wall time
	// shared is set when the system is not the run's own (an endpoint, a
	// deployed stack): names get a suffix unique to the run, and what the
	// run creates is deleted at its end.
	shared bool
	runID  string
	// poll is the wall-clock pause between two looks at the system on
	// wall time (throttling limits on AWS).
	poll time.Duration
	// defaults are a worker's thing, policy and topics when it names none.
	defaults WorkerSpec
	// machines maps a stack's logical ids to state machine ARNs (found
	// by discovery); names not there are looked up with ListStateMachines.
	machines map[string]string
	// srv is the in-process emulator, nil elsewhere.
	srv *emulatortest.Server
}

func defaultWorkerSpec() WorkerSpec {
	return WorkerSpec{Thing: defaultThing, Policy: defaultPolicy, Subscribe: defaultSubscribe, Submit: defaultSubmit}
}

// inProcessWorld starts an emulator for the run, loading the scenario's
// template, on a fake clock unless the scenario runs on wall time, and
// durable when the scenario restarts it.
func inProcessWorld(tb testing.TB, s *Scenario, book *logBook) *world {
	opts := []emulatortest.Option{emulatortest.WithTemplate(s.TemplatePath()), emulatortest.WithLogger(book.logger("emulator"))}
	if s.Virtual() {
		opts = append(opts, emulatortest.WithFakeClock())
	}
	if s.restartsEmulator() {
		opts = append(opts, emulatortest.WithDurable()) // a state file to come back to
	}
	srv := emulatortest.New(tb, opts...)
	ends := srv.Endpoints()
	return &world{target: "inprocess", cfg: srv.AWSConfig(), api: ends.HTTP, mqtt: ends.MQTT, roots: srv.CAPool(),
		serverName: "localhost", fake: srv.Clock, poll: wallPoll, defaults: defaultWorkerSpec(), srv: srv}
}

// wallPoll is how often a run looks at an emulator on wall time.
const wallPoll = 25 * time.Millisecond

// awsPoll is how often a run looks at AWS: Step Functions throttles
// DescribeExecution and GetExecutionHistory to a few calls a second.
const awsPoll = time.Second

// endpointWorld finds a running emulator's broker and CA through its own
// endpoints (GET /_stepwire/endpoints and /_stepwire/ca, as `stepwire
// certs issue` does).
func endpointWorld(ctx context.Context, e Endpoint) (*world, error) {
	base := strings.TrimRight(e.HTTP, "/")
	if base == "" {
		return nil, fmt.Errorf("endpoint target: no endpoint URL")
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("endpoint target: endpoint %q is not a URL", e.HTTP)
	}
	var ends struct {
		MQTT, Region, Account string
	}
	b, err := getLocal(ctx, base+"/_stepwire/endpoints")
	if err != nil {
		return nil, fmt.Errorf("endpoint target: is an emulator running at %s? %w", base, err)
	}
	if err := json.Unmarshal(b, &ends); err != nil {
		return nil, fmt.Errorf("endpoint target: %s/_stepwire/endpoints: %w", base, err)
	}
	ca, err := getLocal(ctx, base+"/_stepwire/ca")
	if err != nil {
		return nil, fmt.Errorf("endpoint target: fetch the broker's CA: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("endpoint target: %s/_stepwire/ca holds no PEM certificate", base)
	}
	mqtt := e.MQTT
	if mqtt == "" {
		mqtt = reachable(ends.MQTT, u.Hostname())
	}
	host, _, err := net.SplitHostPort(mqtt)
	if err != nil {
		return nil, fmt.Errorf("endpoint target: broker address %q: %w", mqtt, err)
	}
	cfg := aws.Config{}
	if e.Config != nil {
		cfg = e.Config.Copy()
	} else {
		cfg.Credentials = credentials.NewStaticCredentialsProvider("stepwire", "stepwire", "")
	}
	if ends.Region != "" {
		cfg.Region = ends.Region // the emulator's, whatever the environment says
	}
	cfg.BaseEndpoint = aws.String(base)
	return &world{target: "endpoint", cfg: cfg, api: base, mqtt: mqtt, roots: roots, serverName: host,
		shared: true, runID: newRunID(), poll: wallPoll, defaults: defaultWorkerSpec()}, nil
}

// reachable replaces an unspecified listen address (0.0.0.0, ::) with the
// host the API was reached at.
func reachable(addr, apiHost string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		return net.JoinHostPort(apiHost, port)
	}
	return addr
}

func getLocal(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return b, nil
}

// awsWorld discovers a deployed stack (internal/target, internal/stack):
// its state machines, topics, thing and the account's IoT data endpoint.
func awsWorld(ctx context.Context, a AWS) (*world, error) {
	var cfg aws.Config
	if a.Config != nil {
		cfg = a.Config.Copy()
	} else {
		var err error
		if cfg, err = target.LoadAWSConfig(ctx); err != nil {
			return nil, err
		}
	}
	name := a.Stack
	if name == "" {
		name = target.StackName()
	}
	d, err := target.Discover(ctx, target.AWS, cfg, name)
	if err != nil {
		return nil, err
	}
	return stackWorld(cfg, d.Resources, a.RootCAs)
}

// stackWorld turns a discovered stack into a world.
func stackWorld(cfg aws.Config, res *stack.Resources, roots *x509.CertPool) (*world, error) {
	mqtt := res.MQTTAddress()
	host, _, err := net.SplitHostPort(mqtt)
	if err != nil {
		return nil, fmt.Errorf("target aws: IoT data endpoint %q: %w", mqtt, err)
	}
	api := aws.ToString(cfg.BaseEndpoint)
	if api == "" {
		api = "https://states." + cfg.Region + ".amazonaws.com"
	}
	w := &world{target: "aws", cfg: cfg, api: strings.TrimRight(api, "/"), mqtt: mqtt, roots: roots, serverName: host,
		shared: true, runID: newRunID(), poll: awsPoll, defaults: defaultWorkerSpec(), machines: map[string]string{}}
	set := func(v *string, s string) {
		if s != "" {
			*v = s
		}
	}
	set(&w.defaults.Thing, res.Parameters["MQTTClientID"])
	set(&w.defaults.Policy, res.Physical["IoTToContainerPolicy"])
	set(&w.defaults.Subscribe, res.WorkerTopic)
	set(&w.defaults.Submit, res.ResultsTopic)
	for logical, physical := range res.Physical {
		if strings.HasPrefix(physical, "arn:") && strings.Contains(physical, ":stateMachine:") {
			w.machines[logical] = physical
		}
	}
	return w, nil
}

// newRunID is a short random suffix for the names a run creates on a
// shared system.
func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// unique is name on the run's own system, name-<runID> on a shared one.
func (w *world) unique(name string) string {
	if !w.shared || name == "" {
		return name
	}
	return name + "-" + w.runID
}
