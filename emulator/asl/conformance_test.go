package asl

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/conformance/casematch"
)

// validationFloor is the number of definition cases that must match.
const validationFloor = 23

type apiCase struct {
	ID   string `json:"id"`
	Type string `json:"state_machine_type"`
	Tags []string
	API  struct {
		Calls []struct {
			Action string
			Params map[string]any
		}
	} `json:"api"`
	Expect struct {
		APIError    *struct{ Code, Message string } `json:"api_error"`
		APIResponse *struct {
			Result      string
			Diagnostics []map[string]string
		} `json:"api_response"`
	} `json:"expect"`
}

// TestDefinitionConformance replays the recorded CreateStateMachine
// InvalidDefinition answers and ValidateStateMachineDefinition results
// against Parse.
func TestDefinitionConformance(t *testing.T) {
	files := casematch.CaseFiles(t, os.Getenv, filepath.Glob)
	pass, fail := 0, 0
	for _, f := range files {
		c, def, typ, ok := loadDefinitionCase(t, f)
		if !ok {
			continue
		}
		if err := checkDefinitionCase(c, def, typ); err != nil {
			fail++
			t.Logf("FAIL %s: %v", c.ID, err)
			continue
		}
		pass++
	}
	t.Logf("definition cases: pass %d fail %d", pass, fail)
	if pass < validationFloor {
		t.Fatalf("%d definition cases pass, floor is %d", pass, validationFloor)
	}
}

// loadDefinitionCase returns cases whose last call is a definition check.
func loadDefinitionCase(t *testing.T, file string) (*apiCase, string, string, bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c apiCase
	if err := json.Unmarshal(data, &c); err != nil || len(c.API.Calls) == 0 {
		return nil, "", "", false
	}
	last := c.API.Calls[len(c.API.Calls)-1]
	switch {
	case last.Action == "ValidateStateMachineDefinition" && c.Expect.APIResponse != nil:
	case last.Action == "CreateStateMachine" && c.Expect.APIError != nil && c.Expect.APIError.Code == "InvalidDefinition":
	default:
		return nil, "", "", false
	}
	def, _ := last.Params["definition"].(string)
	def = strings.ReplaceAll(def, "${0.activityArn}", "arn:aws:states:us-east-1:111111111111:activity:a")
	typ, _ := last.Params["type"].(string)
	return &c, def, typ, true
}

func checkDefinitionCase(c *apiCase, def, typ string) error {
	_, err := Parse([]byte(def), Options{Type: typ})
	var de *DefinitionError
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if c.Expect.APIError != nil {
		if de == nil || de.Error() != c.Expect.APIError.Message {
			return errors.New("got " + errString(err) + ", want " + c.Expect.APIError.Message)
		}
		return nil
	}
	want := c.Expect.APIResponse
	var got []map[string]string
	if de != nil {
		for _, p := range de.Problems {
			d := map[string]string{"severity": p.Severity(), "code": p.Code, "message": p.Message}
			if p.Location != "" {
				d["location"] = p.Location
			}
			got = append(got, d)
		}
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want.Diagnostics)
	if len(got) == 0 && len(want.Diagnostics) == 0 || string(gb) == string(wb) {
		return nil
	}
	return errors.New("diagnostics " + string(gb) + ", want " + string(wb))
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}
