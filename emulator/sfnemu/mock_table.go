package sfnemu

import (
	"runtime"
	"strings"
	"sync"
	"weak"
)

// A Service's mock state lives in a side table keyed by a weak pointer to
// the Service, so the mock feature stays in its own files; a cleanup drops
// the entry when the Service is collected.
var mockTables sync.Map // weak.Pointer[Service] → *mockTable

// mockTable is the mock configuration of one Service and the test-case
// runs of its executions.
type mockTable struct {
	cfg  *MockConfig
	mu   sync.Mutex
	runs map[string]*mockRun // by execution ARN
}

// SetMockConfig makes cfg the mock configuration that StartExecution's
// "<arn>#<TestCase>" selects test cases from. Call it before starting
// executions; nil removes the configuration.
func (s *Service) SetMockConfig(cfg *MockConfig) {
	key := weak.Make(s)
	if cfg == nil {
		mockTables.Delete(key)
		return
	}
	if _, loaded := mockTables.Swap(key, &mockTable{cfg: cfg, runs: map[string]*mockRun{}}); !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[Service]) { mockTables.Delete(k) }, key)
	}
}

func (s *Service) mockTable() *mockTable {
	t, ok := mockTables.Load(weak.Make(s))
	if !ok {
		return nil
	}
	return t.(*mockTable)
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

// bindTestCase prepares the mocked run of the Standard execution name of
// sm under testCase, before the execution starts. An execution that
// already exists keeps its own binding.
func (s *Service) bindTestCase(sm *stateMachine, name, testCase string) error {
	if testCase == "" {
		return nil
	}
	t := s.mockTable()
	if t == nil {
		return failf(ErrValidation, "stepwire has no mock config: cannot run test case '%s' (start stepwire with --mock-config or SFN_MOCK_CONFIG)", testCase)
	}
	states, ok := t.cfg.testCase(sm.name, testCase)
	if !ok {
		return failf(ErrValidation, "the mock config has no test case '%s' for state machine '%s'", testCase, sm.name)
	}
	if sm.typ == typeExpress {
		return failf(ErrValidation, "stepwire runs test cases of STANDARD state machines only")
	}
	arn := s.executionArn(sm.name, name)
	s.execMu.RLock()
	exists := s.execByArn[arn] != nil
	s.execMu.RUnlock()
	if exists {
		return nil
	}
	t.mu.Lock()
	t.runs[arn] = newMockRun(t.cfg, testCase, states)
	t.mu.Unlock()
	return nil
}

// mockRun returns the test-case run of e, or nil.
func (s *Service) mockRun(e *execution) *mockRun {
	t := s.mockTable()
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.runs[e.arn]
}
