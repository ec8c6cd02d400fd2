package mockconfig

// Builder assembles a Config in memory, for tools that turn
// their own descriptions into test cases.
type Builder struct{ cfg Config }

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{cfg: Config{machines: map[string]map[string]map[string]string{}, responses: map[string][]mockAttempt{}}}
}

// TestCase declares a (possibly empty) test case of a state machine.
func (b *Builder) TestCase(machine, name string) {
	if b.cfg.machines[machine] == nil {
		b.cfg.machines[machine] = map[string]map[string]string{}
	}
	if b.cfg.machines[machine][name] == nil {
		b.cfg.machines[machine][name] = map[string]string{}
	}
}

// Mock answers invocation n of state in the test case with r.
func (b *Builder) Mock(machine, name, state string, n int, r Response) {
	b.TestCase(machine, name)
	resp := machine + "/" + name + "/" + state
	b.cfg.machines[machine][name][state] = resp
	b.cfg.responses[resp] = append(b.cfg.responses[resp], mockAttempt{lo: n, hi: n, resp: r})
}

// Build returns the configuration.
func (b *Builder) Build() *Config {
	c := b.cfg
	return &c
}
