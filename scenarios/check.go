package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Check compares a result with the scenario's expectations and describes
// every mismatch.
func (s *Scenario) Check(r Result) error {
	var diffs []string
	e := s.Expect
	if r.Status != e.Status {
		diffs = append(diffs, fmt.Sprintf("status = %s, want %s", r.Status, e.Status))
	}
	if e.Output != nil && !sameJSON(r.Output, e.Output) {
		want, _ := json.Marshal(e.Output)
		diffs = append(diffs, fmt.Sprintf("output = %s, want %s", r.Output, want))
	}
	if e.Error != "" && r.Error != e.Error {
		diffs = append(diffs, fmt.Sprintf("error = %q, want %q", r.Error, e.Error))
	}
	if e.Cause != "" && r.Cause != e.Cause {
		diffs = append(diffs, fmt.Sprintf("cause = %q, want %q", r.Cause, e.Cause))
	}
	if e.Elapsed != 0 && r.Elapsed != e.Elapsed {
		diffs = append(diffs, fmt.Sprintf("virtual time elapsed = %v, want %v", r.Elapsed, e.Elapsed))
	}
	if e.History != nil && !reflect.DeepEqual(r.History, e.History) {
		diffs = append(diffs, fmt.Sprintf("history = %v, want %v", r.History, e.History))
	}
	if len(diffs) > 0 {
		return fmt.Errorf("scenario %q:\n  %s", s.Name, strings.Join(diffs, "\n  "))
	}
	return nil
}

func sameJSON(text string, want any) bool {
	var got any
	if err := json.Unmarshal([]byte(text), &got); err != nil {
		return false
	}
	wb, _ := json.Marshal(want)
	var w any
	_ = json.Unmarshal(wb, &w)
	return reflect.DeepEqual(got, w)
}
