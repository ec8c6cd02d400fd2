package scenarios

import (
	"path/filepath"
	"strings"
	"testing"
)

// A scenario that waits on a worker that never comes, with no timer to
// jump to, fails after its idle limit with what is open: the task token
// out, the timers, the workers' sessions.
func TestStuckScenarioFailsWithADump(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stuck.yaml")
	writeFile(t, path, "name: nobody answers\ntemplate: "+abs(t, "../template.yaml")+"\nstateMachine: MqttBasedStateMachine\n"+
		"idleLimit: 200ms\nworkers: [{name: w1, stopped: true}]\nexpect: {status: SUCCEEDED}\n")
	r := RunFile(path, InProcess{}, false)
	if r.Err == nil {
		t.Fatal("a stuck scenario passed")
	}
	for _, want := range []string{"stuck: nothing moved for 200ms", "open task tokens", "timers: none armed", "worker w1 (MQTT client mqtt-container-client"} {
		if !strings.Contains(r.Err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, r.Err)
		}
	}
}

// Files are bounded: one over MaxFileSize is refused before it is parsed.
func TestParseRefusesHugeFiles(t *testing.T) {
	_, err := Parse(make([]byte, MaxFileSize+1))
	if err == nil || !strings.Contains(err.Error(), "above the limit") {
		t.Fatalf("Parse = %v", err)
	}
}
