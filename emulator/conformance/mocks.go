package conformance

import (
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
)

// mockConfig turns a case's mocks into a mock configuration file's test
// case, as a user would write it, so that the run goes through the
// user-facing "<arn>#<TestCase>" feature. A case without mocks gets an
// empty test case: every state runs for real.
func mockConfig(c *Case, machine, testCase string) *mockconfig.Config {
	b := mockconfig.NewBuilder()
	b.TestCase(machine, testCase)
	resources := taskResources(c.object("definition"))
	mocks := c.object("mocks")
	if mocks == nil {
		return b.Build()
	}
	for _, sm := range mocks.Members {
		attempts, _ := sm.Value.(*jsonv.Object)
		if attempts == nil {
			continue
		}
		for _, a := range attempts.Members {
			lo, hi := attemptRange(a.Key)
			r := mockResponse(a.Value, resources[sm.Key])
			for n := lo; n <= hi; n++ {
				b.Mock(machine, testCase, sm.Key, n, r)
			}
		}
	}
	return b.Build()
}

// attemptRange reads "n" or "n-m".
func attemptRange(key string) (int, int) {
	a, b, isRange := strings.Cut(key, "-")
	lo, _ := strconv.Atoi(a)
	hi := lo
	if isRange {
		hi, _ = strconv.Atoi(b)
	}
	return lo, hi
}

// mockResponse maps one case mock onto the mock file's answers: on a
// .waitForTaskToken state the case's Return is the response of the call
// that delivered the token (stepwire's Submit); elsewhere it is Return.
func mockResponse(v any, resource string) mockconfig.Response {
	o, _ := v.(*jsonv.Object)
	if o == nil {
		return mockconfig.Response{}
	}
	if th, ok := o.Get("Throw"); ok {
		to, _ := th.(*jsonv.Object)
		t := &mockconfig.Throw{}
		if s, ok := str(to, "Error"); ok {
			t.Error = &s
		}
		if s, ok := str(to, "Cause"); ok {
			if !strings.HasPrefix(resource, "arn:aws:lambda:") {
				s = compactCause(s)
			}
			t.Cause = &s
		}
		return mockconfig.Response{Throw: t}
	}
	ret, _ := o.Get("Return")
	if strings.HasSuffix(resource, ".waitForTaskToken") {
		return mockconfig.Response{Submit: jsonv.Encode(ret)}
	}
	return mockconfig.Response{Return: jsonv.Encode(ret)}
}

// compactCause undoes the case format's ", "/": " re-serialisation of a
// cause that was JSON object text: service integrations report it
// compact, while a Lambda function ARN passes the function's own text.
func compactCause(s string) string {
	if v, err := jsonv.DecodeString(s); err == nil {
		if _, ok := v.(*jsonv.Object); ok {
			return jsonv.EncodeString(v)
		}
	}
	return s
}

// taskResources maps every Task state's name to its Resource, through
// Parallel branches and Map processors.
func taskResources(def *jsonv.Object) map[string]string {
	out := map[string]string{}
	var walk func(block *jsonv.Object)
	walk = func(block *jsonv.Object) {
		states, _ := fieldObject(block, "States")
		if states == nil {
			return
		}
		for _, st := range states.Members {
			so, _ := st.Value.(*jsonv.Object)
			if res, ok := str(so, "Resource"); ok {
				out[st.Key] = res
			}
			for _, key := range []string{"Iterator", "ItemProcessor"} {
				if sub, ok := fieldObject(so, key); ok {
					walk(sub)
				}
			}
			branches, _ := so.Get("Branches")
			list, _ := branches.([]any)
			for _, b := range list {
				if bo, ok := b.(*jsonv.Object); ok {
					walk(bo)
				}
			}
		}
	}
	walk(def)
	return out
}

func fieldObject(o *jsonv.Object, key string) (*jsonv.Object, bool) {
	if o == nil {
		return nil, false
	}
	v, _ := o.Get(key)
	sub, ok := v.(*jsonv.Object)
	return sub, ok
}
