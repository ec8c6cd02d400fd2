package interp

import (
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// maxWait is the longest delay a Wait accepts (int32 seconds).
const maxWait = (1<<31 - 1) * time.Second

type waitError string

func (e waitError) Error() string { return string(e) }

func (m *Machine) runWait(s *asl.Wait) {
	eff, err := m.applyInputPath(s.InputPath, m.th.cur.rawInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	at, err := m.waitUntil(s, eff)
	if err != nil {
		m.runtimeError(err)
		return
	}
	m.th.cur.effInput = eff
	if !at.After(m.now) {
		m.exitWait()
		return
	}
	m.th.cur.waitTimer = m.newID("wait")
	m.command(ArmTimer{TimerID: m.th.cur.waitTimer, At: at})
}

func (m *Machine) waitUntil(s *asl.Wait, eff any) (time.Time, error) {
	switch {
	case s.HasSeconds:
		return delayOf(m.now, s.Seconds)
	case s.HasTimestamp:
		return checkDelay(m.now, s.Timestamp)
	case s.SecondsPath != nil:
		v, ok := m.lookup(s.SecondsPath, eff)
		if !ok {
			return time.Time{}, waitError("The SecondsPath parameter does not reference an input value: " + s.SecondsPath.Text)
		}
		n, isNum := v.(jsonv.Number)
		i, isInt := n.Int()
		if !isNum || !isInt || !n.IsInteger() {
			return time.Time{}, waitError("The SecondsPath parameter cannot be parsed as a long value: " + s.SecondsPath.Text + " == " + display(v))
		}
		if i < 0 {
			return time.Time{}, waitError("The SecondsPath parameter references a negative value: " + s.SecondsPath.Text + " == " + display(v))
		}
		return delayOf(m.now, i)
	}
	v, ok := m.lookup(s.TimestampPath, eff)
	if !ok {
		return time.Time{}, waitError("The TimestampPath parameter does not reference an input value: " + s.TimestampPath.Text)
	}
	str, _ := v.(string)
	t, valid := asl.ParseTimestamp(str)
	if !valid {
		return time.Time{}, waitError("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: " + s.TimestampPath.Text + " == " + display(v))
	}
	return checkDelay(m.now, t)
}

// delayOf is the end of a wait of secs seconds (from Seconds, a
// SecondsPath or a JSONata Seconds expression), refused beyond maxWait
// before the duration could overflow.
func delayOf(now time.Time, secs int64) (time.Time, error) {
	return checkDelay(now, now.Add(time.Duration(min(secs, 1<<33))*time.Second))
}

func checkDelay(now, at time.Time) (time.Time, error) {
	if at.Sub(now) > maxWait {
		return time.Time{}, waitError("Wait state delay is too long.")
	}
	return at, nil
}

// display renders a value the way error texts quote it: strings bare.
func display(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonv.EncodeString(v)
}

func (m *Machine) exitWait() {
	s := m.th.cur.state.(*asl.Wait)
	if s.QueryLanguage == asl.JSONata {
		m.jsonataExit(nil, false, m.th.cur.enteredID)
		return
	}
	if !m.pathAssign(s.Assign, m.th.cur.effInput) {
		return
	}
	out, err := m.applyOutputPath(s.OutputPath, m.th.cur.effInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	m.exit(out, m.th.cur.enteredID)
}
