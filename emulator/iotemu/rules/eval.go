package rules

import (
	"bytes"
	"encoding/json"
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

type env struct {
	msg Message
	doc any // decoded payload, or undefined{} when not JSON
}

type expr interface{ eval(e *env) any }

type literal struct{ v any }

func (l literal) eval(*env) any { return l.v }

type attrPath []string

func (a attrPath) eval(e *env) any {
	v := e.doc
	for _, seg := range a {
		obj, ok := v.(map[string]any)
		if !ok {
			return undefined{}
		}
		if v, ok = obj[seg]; !ok {
			return undefined{}
		}
	}
	return v
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

// functionArity lists the supported functions with their minimum and
// maximum argument counts.
var functionArity = map[string][2]int{
	"topic":     {0, 1},
	"clientid":  {0, 0},
	"timestamp": {0, 0},
}

type call struct {
	fn   string
	args []expr
}

func (c call) eval(e *env) any {
	switch c.fn {
	case "topic":
		if len(c.args) == 0 {
			return e.msg.Topic
		}
		n, ok := number(c.args[0].eval(e)).(float64)
		levels := strings.Split(e.msg.Topic, "/")
		if !ok || n < 1 || int(n) > len(levels) {
			return undefined{}
		}
		return levels[int(n)-1]
	case "clientid":
		if e.msg.ClientID == "" {
			return "n/a"
		}
		return e.msg.ClientID
	case "timestamp":
		return json.Number(strconv.FormatInt(e.msg.Timestamp, 10))
	}
	return undefined{}
}

// Matches reports whether the rule's FROM filter matches topic.
func (q *Query) Matches(topic string) bool { return MatchFilter(q.Filter, topic) }

// SelectAll reports whether the statement is `SELECT * FROM ...` with
// nothing else selected: its result is the payload byte for byte.
func (q *Query) SelectAll() bool { return len(q.items) == 1 && q.items[0].star }

// Apply evaluates the statement for m. ok is false when the WHERE clause
// does not hold. For SELECT * the result is the payload unchanged (it may
// not be JSON; the caller decides what an action accepts); otherwise it is
// a JSON object of the selected attributes, absent ones omitted.
func (q *Query) Apply(m Message) (out []byte, ok bool) {
	e := &env{msg: m, doc: undefined{}}
	if len(m.Payload) > 0 && json.Valid(m.Payload) && (q.where != nil || !q.SelectAll()) {
		dec := json.NewDecoder(bytes.NewReader(m.Payload))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) == nil {
			e.doc = doc
		}
	}
	if q.where != nil && q.where.eval(e) != true {
		return nil, false
	}
	if q.SelectAll() {
		return m.Payload, true
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
		if v := it.e.eval(e); v != (undefined{}) {
			obj[it.name] = v
		}
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, false
	}
	return out, true
}

func newEnv(m Message) *env {
	e := &env{msg: m, doc: undefined{}}
	if len(m.Payload) > 0 && json.Valid(m.Payload) {
		dec := json.NewDecoder(bytes.NewReader(m.Payload))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) == nil {
			e.doc = doc
		}
	}
	return e
}

func stringOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case undefined:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
