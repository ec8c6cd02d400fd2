package scenarios

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// A file that breaks the schema, or names what does not exist, gets an
// error naming its line and field.
func TestParseErrorsNameLineAndField(t *testing.T) {
	head := "name: x\nstateMachine: S\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top-level field", head + "expect: {status: SUCCEEDED}\nworkerz: []\n", "4: workerz: additional properties"},
		{"bad status", head + "expect:\n  status: DONE\n", "4: expect.status"},
		{"bad duration", head + "steps:\n  - start: {}\n  - advance: ten minutes\nexpect: {status: SUCCEEDED}\n", "5: steps[1].advance"},
		{"two actions in a step", head + "steps:\n  - {start: {}, advance: 1m}\nexpect: {status: SUCCEEDED}\n", "4: steps[0]"},
		{"unknown behaviour", head + "workers:\n  - name: w\n    default: {do: explode}\nexpect: {status: SUCCEEDED}\n", "5: workers[0].default.do"},
		{"unknown worker", head + "workers: [{name: w}]\nsteps:\n  - start: {}\n  - kill: v\nexpect: {status: SUCCEEDED}\n", "6: steps[1].kill: no worker \"v\""},
		{"unknown execution", head + "steps:\n  - start: {}\n  - stop: {execution: other}\nexpect: {status: SUCCEEDED}\n", "5: steps[1].stop: no execution \"other\""},
		{"no status", head + "expect: {}\n", "expect.status is required"},
		{"no machine", "name: x\nexpect: {status: FAILED}\n", "stateMachine or definition is required"},
		{"fail without error", head + "workers: [{name: w, default: {do: fail}}]\nexpect: {status: FAILED}\n", "3: workers[0]: a behaviour that fails needs an error"},
		{"not yaml", "name: [\n", "1: did not find"},
		{"unknown target", head + "targets: [inprocess, cloud]\nexpect: {status: SUCCEEDED}\n", "3: targets[1]"},
		{"activity worker with a thing", head + "workers: [{name: w, activity: jobs, thing: t}]\nexpect: {status: SUCCEEDED}\n",
			"3: workers[0].activity: an activity worker takes no MQTT thing, policy or topics"},
		{"restartEmulator false", head + "steps:\n  - start: {}\n  - restartEmulator: false\nexpect: {status: SUCCEEDED}\n", "5: steps[1].restartEmulator"},
		{"restartEmulator unknown field", head + "steps:\n  - start: {}\n  - restartEmulator: {hard: true}\nexpect: {status: SUCCEEDED}\n", "5: steps[1].restartEmulator"},
		{"heartbeat not a boolean", head + "workers: [{name: w, default: {heartbeat: sometimes}}]\nexpect: {status: SUCCEEDED}\n", "3: workers[0].default.heartbeat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// restartEmulator is true (a graceful stop) or {kill: ...}.
func TestParseRestartEmulator(t *testing.T) {
	for text, kill := range map[string]bool{"true": false, "{kill: true}": true, "{kill: false}": false, "{}": false} {
		s, err := Parse([]byte("name: x\nstateMachine: S\nsteps:\n  - start: {}\n  - restartEmulator: " + text + "\nexpect: {status: SUCCEEDED}\n"))
		if err != nil {
			t.Fatalf("restartEmulator: %s: %v", text, err)
		}
		if r := s.Steps[1].RestartEmulator; r == nil || r.Kill != kill {
			t.Errorf("restartEmulator: %s parsed as %+v, want kill %v", text, r, kill)
		}
	}
}

// The schema is valid JSON Schema and knows every field the Go types do,
// so editors that complete from it complete everything.
func TestSchemaCoversTheFormat(t *testing.T) {
	if _, err := compiled(); err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(schemaJSON, &schema); err != nil {
		t.Fatal(err)
	}
	for _, f := range yamlFields(Scenario{}) {
		if _, ok := schema.Properties[f]; !ok {
			t.Errorf("schema.json has no property %q", f)
		}
	}
}

func yamlFields(v any) []string {
	var out []string
	for _, f := range reflectFields(v) {
		if tag, _, _ := strings.Cut(f, ","); tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

func reflectFields(v any) []string {
	t := reflect.TypeOf(v)
	var tags []string
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			tags = append(tags, t.Field(i).Tag.Get("yaml"))
		}
	}
	return tags
}
