package scenarios

import (
	"context"
	"crypto/tls"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/clock"
)

// DefaultIdleLimit is how long (wall clock) a scenario may sit with nothing
// in flight and no timer to jump to before it fails.
const DefaultIdleLimit = 5 * time.Second

// DefaultRemoteIdleLimit is the idle limit on a system the run does not
// own (the endpoint and aws targets), where nothing may be seen to move
// for a while: a Lambda's cold start, a timer of the service.
const DefaultRemoteIdleLimit = 30 * time.Second

// runner is one run of a scenario on a world.
type runner struct {
	s        *Scenario
	w        *world
	sfn      *sfn.Client
	fake     *clock.Fake
	clk      clock.Clock
	p        *probe
	ids      *identities
	book     *logBook
	observer *mqttClient
	clients  map[string]*mqttClient
	workers  []*liveWorker
	byName   map[string]*liveWorker
	execs    map[string]string // name → ARN
	ended    map[string]bool   // executions seen ended
	order    []string          // execution names in start order
	machine  string            // the state machine's ARN
	// tpl is the scenario's template, loaded in-process (nil elsewhere).
	tpl *template.Template
	// activities maps the scenario's activity names to their ARNs.
	activities map[string]string
	// undo holds what puts a shared system back as it was, last first.
	undo    []func(context.Context) error
	t0      time.Time
	closing chan struct{}
	idle    time.Duration
	ip      InProcess
}

// play sets the world up, plays the steps, lets every execution end, and
// returns the snapshot.
func play(tb testing.TB, s *Scenario, w *world, book *logBook, ip InProcess) (Result, error) {
	r, err := setUp(tb, s, w, book, ip)
	if err != nil {
		return Result{}, err
	}
	ctx := context.Background()
	for _, st := range s.Steps {
		if err := r.do(ctx, st); err != nil {
			return Result{}, err
		}
	}
	if err := r.drive(ctx, func() (bool, error) { return r.allEnded(ctx) }, time.Time{}); err != nil {
		return Result{}, fmt.Errorf("waiting for the executions to end: %w", err)
	}
	if err := r.settle(ctx); err != nil { // what the ends set off: cancels, late reports
		return Result{}, fmt.Errorf("after the executions ended: %w", err)
	}
	if !w.shared { // its own broker keeps each client's messages in order
		if err := r.observer.barrier(ctx); err != nil {
			return Result{}, fmt.Errorf("after the executions ended: %w", err)
		}
	}
	deadline := time.Now().Add(endOfRunGrace)
	pause := 5 * pollInterval
	if w.shared {
		pause = w.poll // the APIs of a shared system throttle
	}
	for {
		res, err := r.snapshot(ctx)
		if err != nil || s.Check(res) == nil || time.Now().After(deadline) {
			return res, err
		}
		time.Sleep(pause) // polling for messages still on their way
	}
}

// setUp connects to the world: the observer, the clients, the state
// machine, the activities and the workers.
func setUp(tb testing.TB, s *Scenario, w *world, book *logBook, ip InProcess) (*runner, error) {
	r := &runner{s: s, w: w, ip: ip, book: book, clients: map[string]*mqttClient{}, byName: map[string]*liveWorker{},
		execs: map[string]string{}, ended: map[string]bool{}, activities: map[string]string{}, closing: make(chan struct{}), idle: s.IdleLimit}
	if r.idle == 0 {
		r.idle = DefaultIdleLimit
		if w.shared {
			r.idle = DefaultRemoteIdleLimit
		}
	}
	tb.Cleanup(func() { r.tearDown(tb) })
	r.fake, r.clk = w.fake, clock.Clock(clock.Real{})
	if r.fake != nil {
		r.clk = r.fake
	}
	r.sfn = sfn.NewFromConfig(w.cfg)
	r.ids = &identities{iot: iot.NewFromConfig(w.cfg), roots: w.roots, serverName: w.serverName, track: w.shared,
		byName: map[string]*tls.Config{}}
	r.p = &probe{workers: func() []*liveWorker { return r.workers }}
	if w.srv != nil {
		r.p.attach(w.srv)
	}
	r.t0 = r.clk.Now()
	ctx := context.Background()
	if err := r.connect(ctx); err != nil {
		return nil, err
	}
	if err := r.createActivities(ctx); err != nil {
		return nil, err
	}
	var err error
	if r.machine, err = r.stateMachineArn(ctx); err != nil {
		return nil, err
	}
	if w.srv != nil && s.TemplatePath() != "" {
		ends := w.srv.Endpoints()
		tpl, err := template.Load(s.TemplatePath(), template.Options{Region: ends.Region, Account: ends.Account})
		if err != nil {
			return nil, err
		}
		r.tpl = tpl
		r.p.wrapFunctions(w.srv, tpl)
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
	obs, err := r.dial(ctx, ClientSpec{Name: observerName, Thing: r.w.unique(observerThing), Policy: observerPolicy, Subscribe: []string{"#"}})
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
	return dialClient(ctx, c.Name, r.w.mqtt, c.Thing, cfg, r.since, c.Subscribe)
}

// since is the virtual time since the scenario began.
func (r *runner) since() time.Duration { return r.clk.Now().Sub(r.t0) }

func (r *runner) startWorkers(ctx context.Context) error {
	for _, spec := range r.s.Workers {
		spec = r.withWorkerDefaults(spec)
		lw := &liveWorker{r: r, spec: spec}
		if spec.Activity == "" {
			cfg, err := r.ids.tls(ctx, spec.Thing, spec.Policy)
			if err != nil {
				return err
			}
			lw.tls = cfg
		}
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

// withWorkerDefaults fills in an MQTT worker's thing, policy and topics
// from the world's defaults (the template's, or the stack's on AWS).
func (r *runner) withWorkerDefaults(s WorkerSpec) WorkerSpec {
	if s.Activity != "" {
		return s
	}
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	d := r.w.defaults
	def(&s.Thing, d.Thing)
	def(&s.Policy, d.Policy)
	def(&s.Subscribe, d.Subscribe)
	def(&s.Submit, d.Submit)
	return s
}

// tearDown stops the workers and clients, then, on a shared system, puts
// back what the run changed and deletes what it created.
func (r *runner) tearDown(tb testing.TB) {
	close(r.closing)
	for _, lw := range r.workers {
		lw.down()
	}
	r.observer.closeIfSet()
	for _, c := range r.clients {
		c.close()
	}
	if !r.w.shared {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := len(r.undo) - 1; i >= 0; i-- {
		if err := r.undo[i](ctx); err != nil {
			tb.Logf("cleaning up after the scenario: %v", err)
		}
	}
	for _, err := range r.ids.cleanUp(ctx) {
		tb.Logf("cleaning up after the scenario: %v", err)
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

// activityRef is how a definition names one of the scenario's
// activities: ${activity:NAME}, replaced by its ARN.
var activityRef = regexp.MustCompile(`\$\{activity:([A-Za-z0-9_.-]+)\}`)

// createActivities creates the activities the workers poll and the
// definition names.
func (r *runner) createActivities(ctx context.Context) error {
	var names []string
	for _, w := range r.s.Workers {
		if w.Activity != "" {
			names = append(names, w.Activity)
		}
	}
	for _, m := range activityRef.FindAllStringSubmatch(r.s.Definition, -1) {
		names = append(names, m[1])
	}
	for _, name := range names {
		if r.activities[name] != "" {
			continue
		}
		out, err := r.sfn.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String(r.w.unique(name))})
		if err != nil {
			return fmt.Errorf("create activity %s: %w", name, err)
		}
		arn := aws.ToString(out.ActivityArn)
		r.activities[name] = arn
		r.undoLater(func(ctx context.Context) error {
			_, err := r.sfn.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(arn)})
			return err
		})
	}
	return nil
}

func (r *runner) undoLater(f func(context.Context) error) { r.undo = append(r.undo, f) }

// definition is the scenario's definition with its activities' ARNs.
func (r *runner) definition() string {
	return activityRef.ReplaceAllStringFunc(r.s.Definition, func(m string) string {
		return r.activities[activityRef.FindStringSubmatch(m)[1]]
	})
}

// stateMachineArn finds the scenario's state machine, creating it from
// the definition or replacing a machine's definition with it. On a shared
// system a created machine is deleted, and a replaced definition put back,
// at the end.
func (r *runner) stateMachineArn(ctx context.Context) (string, error) {
	s, c := r.s, r.sfn
	if s.Definition != "" && s.StateMachine != "" {
		arn, err := r.machineByName(ctx, s.StateMachine)
		if err != nil {
			return "", err
		}
		if r.w.shared {
			old, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
			if err != nil {
				return "", fmt.Errorf("describe state machine %s: %w", s.StateMachine, err)
			}
			r.undoLater(func(ctx context.Context) error {
				_, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: old.Definition})
				return err
			})
		}
		if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(r.definition())}); err != nil {
			return "", fmt.Errorf("update state machine %s: %w", s.StateMachine, err)
		}
		return arn, nil
	}
	if s.Definition != "" {
		out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(r.w.unique("scenario")),
			Definition: aws.String(r.definition()), RoleArn: aws.String("arn:aws:iam::123456789012:role/scenario")})
		if err != nil {
			return "", fmt.Errorf("create state machine: %w", err)
		}
		arn := aws.ToString(out.StateMachineArn)
		r.undoLater(func(ctx context.Context) error {
			_, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)})
			return err
		})
		return arn, nil
	}
	return r.machineByName(ctx, s.StateMachine)
}

// machineByName finds a state machine by its logical id in a discovered
// stack, else by its name.
func (r *runner) machineByName(ctx context.Context, name string) (string, error) {
	if arn := r.w.machines[name]; arn != "" {
		return arn, nil
	}
	p := sfn.NewListStateMachinesPaginator(r.sfn, &sfn.ListStateMachinesInput{})
	for p.HasMorePages() {
		list, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("list state machines: %w", err)
		}
		for _, sm := range list.StateMachines {
			if aws.ToString(sm.Name) == name {
				return aws.ToString(sm.StateMachineArn), nil
			}
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
