package sfnemu

import (
	"strings"
	"sync"

	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
)

// mockTable is a Service's mock configuration and the test-case runs of
// its running executions. The zero mockTable has no configuration.
type mockTable struct {
	mu   sync.Mutex
	cfg  *mockconfig.Config
	runs map[string]*mockRun // by execution ARN, while the execution runs
}

// SetMockConfig makes cfg the mock configuration that StartExecution's
// "<arn>#<TestCase>" selects test cases from. Call it before starting
// executions; nil removes the configuration. Executions already bound to
// a test case keep their runs.
func (s *Service) SetMockConfig(cfg *mockconfig.Config) {
	s.mocks.mu.Lock()
	defer s.mocks.mu.Unlock()
	s.mocks.cfg = cfg
}

// splitTestCase splits "<stateMachineArn>#<TestCase>" as Step Functions
// Local does: a bare trailing "#" runs without mocks.
func splitTestCase(arn string) (smArn, testCase string) {
	i := strings.LastIndexByte(arn, '#')
	if i < 0 {
		return arn, ""
	}
	return arn[:i], arn[i+1:]
}

// prepareTestCase validates testCase for sm and returns the mocked run an
// execution started with it gets; nil without a test case. launch binds
// it to the execution it registers.
func (s *Service) prepareTestCase(sm *stateMachine, testCase string) (*mockRun, error) {
	if testCase == "" {
		return nil, nil
	}
	s.mocks.mu.Lock()
	cfg := s.mocks.cfg
	s.mocks.mu.Unlock()
	if cfg == nil {
		return nil, failf(ErrValidation, "stepwire has no mock config: cannot run test case '%s' (start stepwire with --mock-config or SFN_MOCK_CONFIG)", testCase)
	}
	states, ok := cfg.TestCase(sm.name, testCase)
	if !ok {
		return nil, failf(ErrValidation, "the mock config has no test case '%s' for state machine '%s'", testCase, sm.name)
	}
	if sm.typ == typeExpress {
		return nil, failf(ErrValidation, "stepwire runs test cases of STANDARD state machines only")
	}
	return newMockRun(cfg, testCase, states), nil
}

// bind makes run the test-case run of the execution arn. launch calls it
// with s.execMu held, as it registers the execution, so a repeated start
// of an existing execution never replaces that execution's run.
func (t *mockTable) bind(arn string, run *mockRun) {
	if run == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.runs == nil {
		t.runs = map[string]*mockRun{}
	}
	t.runs[arn] = run
}

// drop forgets the run of a finished execution.
func (t *mockTable) drop(arn string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.runs, arn)
}

// run returns the test-case run of the running execution arn, or nil.
func (t *mockTable) run(arn string) *mockRun {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.runs[arn]
}
