package scenarios

import "fmt"

// The defaults of a worker: the template's thing, policy and topics.
const (
	defaultThing     = "mqtt-container-client"
	defaultPolicy    = "OnPremContainer"
	defaultSubscribe = "tenant1/to/worker"
	defaultSubmit    = "tenant1/to/lambda"
	observerName     = "observer"
	mainExecution    = "main"
)

// validate checks what the schema cannot (names that refer to each other)
// and fills in defaults.
func (s *Scenario) validate() error {
	if s.Pending != "" {
		return nil
	}
	if s.StateMachine == "" && s.Definition == "" {
		return s.fieldError("stateMachine or definition is required", nil, "stateMachine")
	}
	if s.Expect.Status == "" {
		return s.fieldError("expect.status is required", nil, "expect")
	}
	if err := s.expandWorker(); err != nil {
		return err
	}
	workers, err := s.workerNames()
	if err != nil {
		return err
	}
	clients := map[string]bool{observerName: true}
	for i, c := range s.Clients {
		if clients[c.Name] {
			return s.fieldError("client %q is named twice (observer is taken)", []any{c.Name}, "clients", i, "name")
		}
		clients[c.Name] = true
	}
	if len(s.Steps) == 0 {
		s.Steps = []Step{{Start: &StartStep{Input: s.Input}}}
	}
	execs := map[string]bool{}
	for i, st := range s.Steps {
		if err := s.validateStep(i, st, workers, clients, execs); err != nil {
			return err
		}
	}
	return s.validateExpect(s.Expect, execs, clients, workers, "expect")
}

// expandWorker turns the one-worker shorthand into a worker.
func (s *Scenario) expandWorker() error {
	if s.Worker == "" || s.Worker == "none" || s.node == nil && len(s.Workers) > 0 {
		return nil
	}
	if len(s.Workers) > 0 {
		return s.fieldError("give worker or workers, not both", nil, "worker")
	}
	do := "run"
	if s.Worker == "silent" {
		do = "hang"
	}
	s.Workers = []WorkerSpec{{Name: "worker", Default: &Behaviour{Do: do}}}
	return nil
}

func (s *Scenario) workerNames() (map[string]bool, error) {
	names := map[string]bool{}
	for i, w := range s.Workers {
		if names[w.Name] {
			return nil, s.fieldError("worker %q is named twice", []any{w.Name}, "workers", i, "name")
		}
		names[w.Name] = true
		if w.Activity != "" && (w.Thing != "" || w.Policy != "" || w.Subscribe != "" || w.Submit != "") {
			return nil, s.fieldError("an activity worker takes no MQTT thing, policy or topics", nil, "workers", i, "activity")
		}
		bs := append([]Behaviour(nil), w.Jobs...)
		if w.Default != nil {
			bs = append(bs, *w.Default)
		}
		for _, b := range w.ByType {
			bs = append(bs, b)
		}
		for _, b := range bs {
			if b.Do == "fail" && b.Error == "" {
				return nil, s.fieldError("a behaviour that fails needs an error", nil, "workers", i)
			}
		}
	}
	return names, nil
}

func (s *Scenario) validateStep(i int, st Step, workers, clients, execs map[string]bool) error {
	worker := func(name, field string) error {
		if !workers[name] {
			return s.fieldError("no worker %q", []any{name}, "steps", i, field)
		}
		return nil
	}
	switch {
	case st.Start != nil:
		name := st.Start.Name
		if name == "" {
			name = mainExecution
			if len(execs) > 0 {
				return s.fieldError("only the first start may have no name", nil, "steps", i, "start")
			}
		}
		if execs[name] {
			return s.fieldError("execution %q is started twice", []any{name}, "steps", i, "start")
		}
		execs[name] = true
	case st.Stop != nil:
		return s.needExecution(execs, st.Stop.Execution, "steps", i, "stop")
	case st.Sigterm != "":
		return worker(st.Sigterm, "sigterm")
	case st.Kill != "":
		return worker(st.Kill, "kill")
	case st.Restart != "":
		return worker(st.Restart, "restart")
	case st.Cut != "":
		return worker(st.Cut, "cut")
	case st.Restore != "":
		return worker(st.Restore, "restore")
	case st.Publish != nil:
		if as := st.Publish.As; as != "" && !clients[as] {
			return s.fieldError("no client %q", []any{as}, "steps", i, "publish", "as")
		}
	case st.Wait != nil:
		if l := st.Wait.Until.Log; l != nil && l.Worker != "" && !workers[l.Worker] {
			return s.fieldError("no worker %q", []any{l.Worker}, "steps", i, "wait")
		}
		return s.needExecution(execs, st.Wait.Until.Execution, "steps", i, "wait")
	case st.Expect != nil:
		return s.validateExpect(*st.Expect, execs, clients, workers, "steps", i, "expect")
	}
	return nil
}

func (s *Scenario) needExecution(execs map[string]bool, name string, path ...any) error {
	if name == "" {
		name = mainExecution
	}
	if !execs[name] {
		return s.fieldError("no execution %q is started before", []any{name}, path...)
	}
	return nil
}

func (s *Scenario) validateExpect(e Expect, execs, clients, workers map[string]bool, path ...any) error {
	if err := s.needExecution(execs, e.Execution, path...); err != nil {
		return err
	}
	for name, sub := range e.Executions {
		sub.Execution = name
		if err := s.validateExpect(sub, execs, clients, workers, append(path, "executions", name)...); err != nil {
			return err
		}
	}
	for i, m := range e.MQTT {
		if m.Client != "" && !clients[m.Client] {
			return s.fieldError("no client %q", []any{m.Client}, append(path, "mqtt", i)...)
		}
	}
	for i, l := range e.Logs {
		if l.Worker != "" && !workers[l.Worker] {
			return s.fieldError("no worker %q", []any{l.Worker}, append(path, "logs", i)...)
		}
	}
	return nil
}

func (st Step) String() string {
	switch {
	case st.Start != nil:
		return "start " + st.Start.Name
	case st.Stop != nil:
		return "stop " + st.Stop.Execution
	case st.Sigterm != "":
		return "sigterm " + st.Sigterm
	case st.Kill != "":
		return "kill " + st.Kill
	case st.Restart != "":
		return "restart " + st.Restart
	case st.Cut != "":
		return "cut " + st.Cut
	case st.Restore != "":
		return "restore " + st.Restore
	case st.Publish != nil:
		return "publish " + st.Publish.Topic
	case st.Advance != 0:
		return "advance " + st.Advance.String()
	case st.Wait != nil:
		return "wait"
	case st.Expect != nil:
		return "expect"
	case st.RestartEmulator != nil && st.RestartEmulator.Kill:
		return "restartEmulator (kill)"
	case st.RestartEmulator != nil:
		return "restartEmulator"
	}
	return fmt.Sprintf("step at line %d", st.line)
}
