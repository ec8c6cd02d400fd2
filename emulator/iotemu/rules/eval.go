package rules

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Message is one published message as the rules engine sees it.
type Message struct {
	Topic string
	// ClientID is the publisher's MQTT client id, or "" when the message
	// did not arrive over MQTT (clientid() then returns "n/a").
	ClientID string
	Payload  []byte
	// Timestamp is the receive time in Unix milliseconds (timestamp()).
	Timestamp int64
	// Principal is the publisher's certificate id (principal()).
	Principal string
	// NewUUID returns a fresh UUID (newuuid()); the package draws no
	// random numbers itself.
	NewUUID func() string
}

// undefined is the SQL Undefined value: an absent attribute.
type undefined struct{}

// payloadBytes is the raw payload, the value of `*` as an argument.
type payloadBytes []byte

type env struct {
	msg Message
	doc any // decoded payload, or undefined{} when not JSON
}

func newEnv(m Message) *env {
	e := &env{msg: m, doc: undefined{}}
	if len(m.Payload) > 0 {
		dec := json.NewDecoder(bytes.NewReader(m.Payload))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) == nil && !dec.More() {
			e.doc = doc
		}
	}
	return e
}

type expr interface{ eval(e *env) any }

type literal struct{ v any }

func (l literal) eval(*env) any { return l.v }

type payloadRef struct{}

func (payloadRef) eval(e *env) any { return payloadBytes(e.msg.Payload) }

type segment struct {
	name  string
	index int // -1 for a named segment
}

type attrPath []segment

func (a attrPath) eval(e *env) any {
	v := e.doc
	for _, seg := range a {
		v = step(v, seg)
		if v == (undefined{}) {
			return v
		}
	}
	return v
}

func step(v any, seg segment) any {
	if seg.index >= 0 {
		arr, ok := v.([]any)
		if !ok || seg.index >= len(arr) {
			return undefined{}
		}
		return arr[seg.index]
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return undefined{}
	}
	out, ok := obj[seg.name]
	if !ok {
		return undefined{}
	}
	return out
}

type logical struct {
	or   bool
	l, r expr
}

func (x logical) eval(e *env) any {
	l := x.l.eval(e) == true
	if x.or && l {
		return true
	}
	if !x.or && !l {
		return false
	}
	return x.r.eval(e) == true
}

type negation struct{ e expr }

func (n negation) eval(e *env) any {
	b, ok := n.e.eval(e).(bool)
	if !ok {
		return undefined{}
	}
	return !b
}

type compare struct {
	op   string
	l, r expr
}

// eval compares numbers numerically, strings lexically and booleans and
// nulls for (in)equality; any other pairing is Undefined, which a WHERE
// clause treats as false.
func (c compare) eval(e *env) any {
	l, r := number(c.l.eval(e)), number(c.r.eval(e))
	var cmp int
	switch lv := l.(type) {
	case float64:
		rv, ok := r.(float64)
		if !ok {
			return undefined{}
		}
		cmp = compareOrdered(lv, rv)
	case string:
		rv, ok := r.(string)
		if !ok {
			return undefined{}
		}
		cmp = strings.Compare(lv, rv)
	case bool, nil:
		if _, same := r.(bool); (l == nil) != (r == nil) || (l != nil && !same) {
			return undefined{}
		}
		if c.op != "=" && c.op != "<>" && c.op != "!=" {
			return undefined{}
		}
		if l != r {
			cmp = 1
		}
	default:
		return undefined{}
	}
	switch c.op {
	case "=":
		return cmp == 0
	case "<>", "!=":
		return cmp != 0
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	default:
		return cmp >= 0
	}
}

func compareOrdered(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type arith struct {
	op   byte
	l, r expr
}

// eval does arithmetic on numbers (strings that hold numbers convert);
// `+` concatenates when either side is a string that is not a number.
// Anything else, and division by zero, is Undefined.
func (a arith) eval(e *env) any {
	lv, rv := a.l.eval(e), a.r.eval(e)
	l, lok := toNumber(lv)
	r, rok := toNumber(rv)
	if !lok || !rok {
		ls, lstr := lv.(string)
		rs, rstr := rv.(string)
		if a.op == '+' && (lstr || rstr) && lv != (undefined{}) && rv != (undefined{}) {
			if !lstr {
				ls = stringOf(lv)
			}
			if !rstr {
				rs = stringOf(rv)
			}
			return ls + rs
		}
		return undefined{}
	}
	switch a.op {
	case '+':
		return l + r
	case '-':
		return l - r
	case '*':
		return l * r
	case '/':
		if r == 0 {
			return undefined{}
		}
		return l / r
	default:
		if r == 0 {
			return undefined{}
		}
		return math.Mod(l, r)
	}
}

func number(v any) any {
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		if err != nil {
			return undefined{}
		}
		return f
	}
	return v
}

// toNumber converts numbers and numeric strings.
func toNumber(v any) (float64, bool) {
	switch x := number(v).(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

func stringOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case undefined:
		return ""
	case payloadBytes:
		return string(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Matches reports whether the rule's FROM filter matches topic.
func (q *Query) Matches(topic string) bool { return MatchFilter(q.Filter, topic) }

// SelectAll reports whether the statement is `SELECT * FROM ...` with
// nothing else selected: its result is the payload byte for byte.
func (q *Query) SelectAll() bool { return len(q.items) == 1 && q.items[0].star }

// Apply evaluates the statement for m. ok is false when the WHERE clause
// does not hold. For SELECT * the result is the payload unchanged, JSON or
// not (docs/iot-core.md §4.3); SELECT VALUE gives the value itself; otherwise it
// is a JSON object of the selected items, Undefined ones omitted, and
// fields of a non-JSON payload are Undefined.
func (q *Query) Apply(m Message) (out []byte, ok bool) {
	if q.SelectAll() && q.where == nil {
		return m.Payload, true
	}
	e := newEnv(m)
	if q.where != nil && q.where.eval(e) != true {
		return nil, false
	}
	if q.SelectAll() {
		return m.Payload, true
	}
	if q.value {
		switch v := q.items[0].e.eval(e).(type) {
		case undefined:
			return nil, false
		case payloadBytes:
			return []byte(v), true
		default:
			b, err := json.Marshal(v)
			return b, err == nil
		}
	}
	obj := map[string]any{}
	for _, it := range q.items {
		if it.star {
			if src, isObj := e.doc.(map[string]any); isObj {
				for k, v := range src {
					obj[k] = v
				}
			}
			continue
		}
		switch v := it.e.eval(e).(type) {
		case undefined:
		case payloadBytes:
			obj[it.name] = string(v)
		default:
			obj[it.name] = v
		}
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, false
	}
	return out, true
}
