package scenarios

import (
	"context"
	"crypto/tls"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/clock"
)

// DefaultIdleLimit is how long (wall clock) a scenario may sit with nothing
// in flight and no timer to jump to before it fails.
const DefaultIdleLimit = 5 * time.Second

// runner is one run of a scenario on an in-process emulator.
type runner struct {
	s        *Scenario
	srv      *emulatortest.Server
	sfn      *sfn.Client
	http     string // the AWS API endpoint
	fake     *clock.Fake
	clk      clock.Clock
	p        *probe
	ids      *identities
	mqttAddr string
	book     *logBook
	observer *mqttClient
	clients  map[string]*mqttClient
	workers  []*liveWorker
	byName   map[string]*liveWorker
	execs    map[string]string // name → ARN
	ended    map[string]bool   // executions seen ended
	order    []string          // execution names in start order
	machine  string            // the state machine's ARN
	t0       time.Time
	closing  chan struct{}
	idle     time.Duration
	ip       InProcess
}

// setUp starts the emulator, the observer, the clients and the workers.
func setUp(tb testing.TB, s *Scenario, ip InProcess) (*runner, error) {
	r := &runner{s: s, ip: ip, book: &logBook{}, clients: map[string]*mqttClient{}, byName: map[string]*liveWorker{},
		execs: map[string]string{}, ended: map[string]bool{}, closing: make(chan struct{}), idle: s.IdleLimit}
	if r.idle == 0 {
		r.idle = DefaultIdleLimit
	}
	opts := []emulatortest.Option{emulatortest.WithTemplate(s.TemplatePath()), emulatortest.WithLogger(r.book.logger("emulator"))}
	if s.Virtual() {
		opts = append(opts, emulatortest.WithFakeClock())
	}
	r.srv = emulatortest.New(tb, opts...)
	tb.Cleanup(r.tearDown)
	r.fake, r.clk = r.srv.Clock, clock.Clock(clock.Real{})
	if r.fake != nil {
		r.clk = r.fake
	}
	ends := r.srv.Endpoints()
	r.http, r.mqttAddr = ends.HTTP, ends.MQTT
	cfg := r.srv.AWSConfig()
	r.sfn = sfn.NewFromConfig(cfg)
	r.ids = &identities{iot: iot.NewFromConfig(cfg), caPool: r.srv.CAPool(), byName: map[string]*tls.Config{}}
	r.p = &probe{steps: r.srv.SFN.Driving, workers: func() []*liveWorker { return r.workers }}
	r.t0 = r.clk.Now()
	ctx := context.Background()
	if err := r.connect(ctx); err != nil {
		return nil, err
	}
	var err error
	if r.machine, err = stateMachineArn(ctx, r.sfn, s); err != nil {
		return nil, err
	}
	if s.TemplatePath() != "" {
		tpl, err := template.Load(s.TemplatePath(), template.Options{Region: ends.Region, Account: ends.Account})
		if err != nil {
			return nil, err
		}
		r.p.wrapFunctions(r.srv, tpl)
	}
	return r, r.startWorkers(ctx)
}

// connect creates the scenario's policies and connects its MQTT clients.
func (r *runner) connect(ctx context.Context) error {
	if err := r.ids.createPolicy(ctx, observerPolicy, observerDoc); err != nil {
		return err
	}
	for name, doc := range r.s.Policies {
		if err := r.ids.createPolicy(ctx, name, doc); err != nil {
			return err
		}
	}
	obs, err := r.dial(ctx, ClientSpec{Name: observerName, Thing: "stepwire-scenario-observer", Policy: observerPolicy, Subscribe: []string{"#"}})
	if err != nil {
		return err
	}
	r.observer = obs
	for _, c := range r.s.Clients {
		mc, err := r.dial(ctx, c)
		if err != nil {
			return err
		}
		r.clients[c.Name] = mc
	}
	return nil
}

func (r *runner) dial(ctx context.Context, c ClientSpec) (*mqttClient, error) {
	cfg, err := r.ids.tls(ctx, c.Thing, c.Policy)
	if err != nil {
		return nil, err
	}
	return dialClient(ctx, c.Name, r.mqttAddr, c.Thing, cfg, r.since, c.Subscribe)
}

// since is the virtual time since the scenario began.
func (r *runner) since() time.Duration { return r.clk.Now().Sub(r.t0) }

func (r *runner) startWorkers(ctx context.Context) error {
	for _, spec := range r.s.Workers {
		spec = withWorkerDefaults(spec)
		cfg, err := r.ids.tls(ctx, spec.Thing, spec.Policy)
		if err != nil {
			return err
		}
		lw := &liveWorker{r: r, spec: spec, tls: cfg}
		r.workers = append(r.workers, lw)
		r.byName[spec.Name] = lw
	}
	for _, lw := range r.workers {
		if lw.spec.Stopped {
			continue
		}
		if err := lw.start(ctx); err != nil {
			return err
		}
	}
	return nil
}

func withWorkerDefaults(s WorkerSpec) WorkerSpec {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&s.Thing, defaultThing)
	def(&s.Policy, defaultPolicy)
	def(&s.Subscribe, defaultSubscribe)
	def(&s.Submit, defaultSubmit)
	return s
}

func (r *runner) tearDown() {
	close(r.closing)
	for _, lw := range r.workers {
		lw.down()
	}
	r.observer.closeIfSet()
	for _, c := range r.clients {
		c.close()
	}
}

// publishRaw publishes as the observer; counted says whether a completion
// Lambda is to act on it (the probe then waits for it).
func (r *runner) publishRaw(ctx context.Context, topic string, payload []byte, counted bool) error {
	if counted {
		r.p.rawPublished.Add(1)
	}
	ok, err := r.observer.publish(ctx, topic, payload)
	if err == nil && !ok {
		err = fmt.Errorf("the broker refused the observer's publish to %s", topic)
	}
	return err
}

func stateMachineArn(ctx context.Context, c *sfn.Client, s *Scenario) (string, error) {
	if s.Definition != "" && s.StateMachine != "" {
		arn, err := machineByName(ctx, c, s.StateMachine)
		if err != nil {
			return "", err
		}
		if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(s.Definition)}); err != nil {
			return "", fmt.Errorf("update state machine %s: %w", s.StateMachine, err)
		}
		return arn, nil
	}
	if s.Definition != "" {
		out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("scenario"),
			Definition: aws.String(s.Definition), RoleArn: aws.String("arn:aws:iam::123456789012:role/scenario")})
		if err != nil {
			return "", fmt.Errorf("create state machine: %w", err)
		}
		return aws.ToString(out.StateMachineArn), nil
	}
	return machineByName(ctx, c, s.StateMachine)
}

func machineByName(ctx context.Context, c *sfn.Client, name string) (string, error) {
	list, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		return "", fmt.Errorf("list state machines: %w", err)
	}
	for _, sm := range list.StateMachines {
		if aws.ToString(sm.Name) == name {
			return aws.ToString(sm.StateMachineArn), nil
		}
	}
	return "", fmt.Errorf("state machine %s is not in the template", name)
}

// running returns the ARNs of the executions still RUNNING.
func (r *runner) running(ctx context.Context) ([]string, error) {
	var out []string
	for _, name := range r.order {
		if r.ended[name] {
			continue
		}
		d, err := r.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(r.execs[name])})
		if err != nil {
			return nil, fmt.Errorf("describe execution %s: %w", name, err)
		}
		if d.Status == types.ExecutionStatusRunning {
			out = append(out, r.execs[name])
		} else {
			r.ended[name] = true // a Standard execution that ended stays ended
		}
	}
	return out, nil
}
