// Package mockconfig reads and builds Step Functions Local style mock
// configurations: which responses mocked Task states of a test case get.
// The service (emulator/sfnemu) consumes them during an execution.
package mockconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Config is a mock configuration file in Step Functions Local's
// format (MockConfigFile.json, the file SFN_MOCK_CONFIG names):
//
//	{"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<state>": "<response>"}}}},
//	 "MockedResponses": {"<response>": {"0": {"Return": <any JSON>},
//	                                    "1-2": {"Throw": {"Error": "...", "Cause": "..."}}}}}
//
// StartExecution with "<stateMachineArn>#<case>" runs the execution with
// that test case: each invocation of a listed Task state (retries and Map
// iterations included, counted from 0) takes the response whose key covers
// its index; states the case does not list run for real.
//
// Return is the service's response (for lambda:invoke the Invoke response
// with Payload; for a Lambda function ARN the function's result). On a
// .waitForTaskToken state Return stands for the callback, as in Step
// Functions Local: the task succeeds with it. stepwire adds "Submit": the
// response of the call that delivered the token, after which the task
// waits for SendTaskSuccess/Failure/Heartbeat as on AWS (MockTokens hands
// the tokens to a test acting as the worker).
type Config struct {
	machines  map[string]map[string]map[string]string // machine → case → state → response
	responses map[string][]mockAttempt
}

// Response is one mocked answer: exactly one of Return, Submit and
// Throw is set.
type Response struct {
	Return json.RawMessage
	Submit json.RawMessage
	Throw  *Throw
}

// Throw is a mocked failure; nil fields were absent.
type Throw struct {
	Error, Cause *string
}

// mockAttempt is a response for the invocations lo..hi of a state.
type mockAttempt struct {
	lo, hi int
	resp   Response
}

// Load reads and parses a mock configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// mockFile is the document's shape.
type mockFile struct {
	StateMachines map[string]struct {
		TestCases map[string]map[string]string `json:"TestCases"`
	} `json:"StateMachines"`
	MockedResponses map[string]map[string]map[string]json.RawMessage `json:"MockedResponses"`
}

// Parse parses a mock configuration document. Every test case
// must name responses that exist, and every response's keys must be "n"
// or "n-m" with one of Return, Submit or Throw.
func Parse(data []byte) (*Config, error) {
	var f mockFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	cfg := &Config{machines: map[string]map[string]map[string]string{}, responses: map[string][]mockAttempt{}}
	for name, attempts := range f.MockedResponses {
		list, err := parseAttempts(attempts)
		if err != nil {
			return nil, fmt.Errorf("mock config: MockedResponses.%s: %w", name, err)
		}
		cfg.responses[name] = list
	}
	for sm, m := range f.StateMachines {
		for tc, states := range m.TestCases {
			for state, resp := range states {
				if _, ok := cfg.responses[resp]; !ok {
					return nil, fmt.Errorf("mock config: StateMachines.%s.TestCases.%s.%s: no mocked response %q", sm, tc, state, resp)
				}
			}
		}
		cases := map[string]map[string]string{}
		for tc, states := range m.TestCases {
			cases[tc] = states
		}
		cfg.machines[sm] = cases
	}
	return cfg, nil
}

func parseAttempts(attempts map[string]map[string]json.RawMessage) ([]mockAttempt, error) {
	var list []mockAttempt
	for key, body := range attempts {
		lo, hi, err := parseAttemptKey(key)
		if err != nil {
			return nil, err
		}
		resp, err := parseResponse(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		list = append(list, mockAttempt{lo: lo, hi: hi, resp: resp})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].lo < list[j].lo })
	for i := 1; i < len(list); i++ {
		if list[i].lo <= list[i-1].hi {
			return nil, fmt.Errorf("attempts %d and %d overlap", list[i-1].lo, list[i].lo)
		}
	}
	return list, nil
}

// parseAttemptKey reads "n" or "n-m".
func parseAttemptKey(key string) (int, int, error) {
	a, b, isRange := strings.Cut(key, "-")
	lo, err := strconv.Atoi(a)
	hi := lo
	if err == nil && isRange {
		hi, err = strconv.Atoi(b)
	}
	if err != nil || lo < 0 || hi < lo {
		return 0, 0, fmt.Errorf("attempt key %q is neither \"n\" nor \"n-m\"", key)
	}
	return lo, hi, nil
}

func parseResponse(body map[string]json.RawMessage) (Response, error) {
	if len(body) != 1 {
		return Response{}, fmt.Errorf("want exactly one of Return, Submit and Throw")
	}
	var r Response
	for k, v := range body {
		switch k {
		case "Return":
			r.Return = v
		case "Submit":
			r.Submit = v
		case "Throw":
			var t Throw
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&t); err != nil {
				return Response{}, fmt.Errorf("Throw: %w", err)
			}
			r.Throw = &t
		default:
			return Response{}, fmt.Errorf("unknown field %q: want Return, Submit or Throw", k)
		}
	}
	return r, nil
}
