package interp

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// FuzzParseAndRun feeds definitions (JSONata fields above all) and inputs
// through the parser and, when they parse, through an execution driven to
// its end: tasks answer with their parameters, timers fire in order. Bad
// input may fail a definition or an execution but must never crash the
// process that serves every other execution.
func FuzzParseAndRun(f *testing.F) {
	seeds := []struct{ def, input string }{
		{`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% ($f := function($x){ $f($x+1) }; $f(1)) %}","End":true}}}`, `{}`},
		{`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% ($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10)) %}","End":true}}}`, `{}`},
		{`{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Seconds":"{% $states.input.s %}","End":true}}}`, `{"s":1e30}`},
		{`{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"x":"{% $states.input %}"},"TimeoutSeconds":"{% $states.input.t %}","HeartbeatSeconds":"{% $states.input.h %}","End":true}}}`, `{"t":9223372036854775807,"h":1}`},
		{`{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% [1..$states.input.n] %}","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Output":"{% $states.input * 2 %}","End":true}}},"Assign":{"r":"{% $states.result %}"},"Next":"C"},"C":{"Type":"Choice","Choices":[{"Condition":"{% $count($r) > 2 %}","Next":"F"}],"Default":"S"},"F":{"Type":"Fail","Error":"{% 'E' & $string($count($r)) %}"},"S":{"Type":"Succeed"}}}`, `{"n":3}`},
		{`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h","End":true}}}`, `{"t":10000000000000,"h":5}`},
		{`{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}`, `{"s":9223372036854775807}`},
	}
	for _, s := range seeds {
		f.Add(s.def, s.input)
	}
	f.Fuzz(func(t *testing.T, def, input string) {
		d, err := asl.Parse([]byte(def), asl.Options{})
		if err != nil || !json.Valid([]byte(input)) {
			return
		}
		n := 0
		opts := Options{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:sm:ex", ExecutionName: "ex",
			StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:sm", StateMachineName: "sm",
			Region: "us-east-1", Account: "123456789012",
			NewToken: func() string { n++; return "token" }, NewUUID: func() string { return "u" },
			Random: func(lo, hi int64) int64 { return lo }}
		m := New(d, json.RawMessage(input), opts)
		now := t0
		drive(t, m, now, m.Start(now))
	})
}

// drive answers an execution's commands until it ends or stops asking.
func drive(t *testing.T, m *Machine, now time.Time, s Step) {
	timers := map[string]time.Time{}
	for range 200 {
		if s.Done {
			return
		}
		var next Event
		for _, c := range s.Commands {
			switch c := c.(type) {
			case InvokeTask:
				if next == nil && c.Token != "" {
					next = CallbackSuccess{Token: c.Token, Output: string(c.Parameters)}
				} else if next == nil {
					next = TaskInvoked{TaskID: c.TaskID, Output: c.Parameters}
				}
			case ArmTimer:
				timers[c.TimerID] = c.At
			case CancelTimer:
				delete(timers, c.TimerID)
			}
		}
		if next == nil {
			id, at := "", time.Time{}
			for k, v := range timers {
				if id == "" || v.Before(at) {
					id, at = k, v
				}
			}
			if id == "" {
				return
			}
			delete(timers, id)
			if at.After(now) {
				now = at
			}
			next = TimerFired{TimerID: id}
		}
		var err error
		if s, err = m.Handle(now, next); err != nil {
			t.Logf("handle %T: %v", next, err)
			return
		}
	}
}
