package mockconfig

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse parses arbitrary mock configuration bytes. A parsed config
// names only responses it has, its attempt ranges are ordered and do not
// overlap, and each attempt has exactly one of Return, Submit and Throw.
func FuzzParse(f *testing.F) {
	if repo, err := os.ReadFile("../../../statemachine/MockConfigFile.json"); err == nil {
		f.Add(repo)
	}
	for _, s := range []string{
		`{"StateMachines":{"sm":{"TestCases":{"happy":{"Dispatch":"ok"}}}},"MockedResponses":{"ok":{"0":{"Return":{"StatusCode":200,"Payload":{}}},"1-3":{"Throw":{"Error":"E","Cause":"C"}},"4":{"Submit":null}}}}`,
		`{"MockedResponses":{"r":{"0-9223372036854775807":{"Return":1}}}}`,
		`{"MockedResponses":{"r":{"0-2":{"Return":1},"2":{"Return":2}}}}`,
		`{"MockedResponses":{"r":{"-1":{"Return":1}}}}`,
		`{"MockedResponses":{"r":{"1-0":{"Return":1}}}}`,
		`{"MockedResponses":{"r":{"0":{"Return":1,"Throw":{}}}}}`,
		`{"MockedResponses":{"r":{"0":{"Throw":{"Error":"E","Extra":1}}}}}`,
		`{"StateMachines":{"sm":{"TestCases":{"c":{"S":"missing"}}}}}`,
		`{"Unknown":1}`, `{} trailing`, `[]`, `null`, ``, `{"MockedResponses":{"r":{"0":{"Return":1e999999}}}}`,
		"{\"MockedResponses\":{\"\xff\":{\"0\":{\"Return\":\"\xfe\"}}}}",
		`{"MockedResponses":{"r":{"0":{"Return":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		for name, list := range c.responses {
			for i, a := range list {
				if a.lo < 0 || a.hi < a.lo || i > 0 && a.lo <= list[i-1].hi {
					t.Fatalf("response %q: bad attempt ranges %+v", name, list)
				}
				r := a.resp
				if n := btoi(r.Return != nil) + btoi(r.Submit != nil) + btoi(r.Throw != nil); n != 1 {
					t.Fatalf("response %q attempt %d: %d of Return, Submit, Throw set", name, a.lo, n)
				}
			}
		}
		for sm, cases := range c.machines {
			for tc, states := range cases {
				for state, resp := range states {
					if _, ok := c.responses[resp]; !ok {
						t.Fatalf("%s#%s state %s names unknown response %q", sm, tc, state, resp)
					}
				}
			}
		}
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
