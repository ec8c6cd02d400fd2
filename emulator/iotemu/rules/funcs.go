package rules

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// function describes a SQL function: its argument counts and whether it
// needs SQL version 2016-03-23.
type function struct {
	min, max  int
	since2016 bool
}

// functions are the supported IoT SQL functions (docs/iot-core.md §4.1).
var functions = map[string]function{
	"topic": {0, 1, false}, "clientid": {0, 0, false}, "timestamp": {0, 0, false},
	"principal": {0, 0, false}, "newuuid": {0, 0, false}, "get": {2, 2, false},
	"encode": {2, 2, true}, "decode": {2, 2, true},
	"concat": {2, 64, false}, "lower": {1, 1, false}, "upper": {1, 1, false},
	"trim": {1, 1, false}, "ltrim": {1, 1, false}, "rtrim": {1, 1, false},
	"length": {1, 1, false}, "numbytes": {1, 1, false}, "substring": {2, 3, false},
	"replace": {3, 3, false}, "startswith": {2, 2, false}, "endswith": {2, 2, false},
	"indexof": {2, 2, false}, "abs": {1, 1, false}, "round": {1, 1, false},
	"floor": {1, 1, false}, "ceil": {1, 1, false}, "mod": {2, 2, false},
	"power": {2, 2, false}, "sqrt": {1, 1, false}, "isnull": {1, 1, false},
	"isundefined": {1, 1, false}, "md5": {1, 1, false}, "sha1": {1, 1, false},
	"sha256": {1, 1, false},
}

type call struct {
	fn   string
	args []expr
}

func (c call) eval(e *env) any {
	args := make([]any, len(c.args))
	for i, a := range c.args {
		args[i] = a.eval(e)
	}
	switch c.fn {
	case "topic":
		return topicLevel(e.msg.Topic, args)
	case "clientid":
		if e.msg.ClientID == "" {
			return "n/a"
		}
		return e.msg.ClientID
	case "timestamp":
		return json.Number(strconv.FormatInt(e.msg.Timestamp, 10))
	case "principal":
		return e.msg.Principal
	case "newuuid":
		if e.msg.NewUUID == nil {
			return undefined{}
		}
		return e.msg.NewUUID()
	case "isnull":
		return args[0] == nil
	case "isundefined":
		return args[0] == (undefined{})
	}
	for _, a := range args {
		if a == (undefined{}) {
			return undefined{}
		}
	}
	if v, ok := stringFunc(c.fn, args); ok {
		return v
	}
	return mathFunc(c.fn, args)
}

func topicLevel(topic string, args []any) any {
	if len(args) == 0 {
		return topic
	}
	n, ok := toNumber(args[0])
	levels := strings.Split(topic, "/")
	if !ok || n < 1 || int(n) > len(levels) {
		return undefined{}
	}
	return levels[int(n)-1]
}

// stringFunc evaluates the string, collection and encoding functions.
func stringFunc(fn string, args []any) (any, bool) {
	str := func(i int) string { return stringOf(args[i]) }
	switch fn {
	case "get":
		if n, ok := toNumber(args[1]); ok {
			return step(args[0], segment{index: int(n)}), true
		}
		return step(args[0], segment{name: str(1), index: -1}), true
	case "encode":
		if !strings.EqualFold(str(1), "base64") {
			return undefined{}, true
		}
		if b, ok := args[0].(payloadBytes); ok {
			return base64.StdEncoding.EncodeToString(b), true
		}
		return base64.StdEncoding.EncodeToString([]byte(str(0))), true
	case "decode":
		b, err := base64.StdEncoding.DecodeString(str(0))
		if err != nil || !strings.EqualFold(str(1), "base64") {
			return undefined{}, true
		}
		var v any
		if json.Unmarshal(b, &v) == nil {
			return v, true
		}
		return string(b), true
	case "concat":
		var b strings.Builder
		for i := range args {
			b.WriteString(str(i))
		}
		return b.String(), true
	case "lower":
		return strings.ToLower(str(0)), true
	case "upper":
		return strings.ToUpper(str(0)), true
	case "trim":
		return strings.TrimSpace(str(0)), true
	case "ltrim":
		return strings.TrimLeft(str(0), " \t\n\r"), true
	case "rtrim":
		return strings.TrimRight(str(0), " \t\n\r"), true
	case "length":
		if arr, ok := args[0].([]any); ok {
			return float64(len(arr)), true
		}
		return float64(utf8.RuneCountInString(str(0))), true
	case "numbytes":
		return float64(len(str(0))), true
	case "substring":
		return substring([]rune(str(0)), args[1:]), true
	case "replace":
		return strings.ReplaceAll(str(0), str(1), str(2)), true
	case "startswith":
		return strings.HasPrefix(str(0), str(1)), true
	case "endswith":
		return strings.HasSuffix(str(0), str(1)), true
	case "indexof":
		i := strings.Index(str(0), str(1))
		if i >= 0 {
			i = utf8.RuneCountInString(str(0)[:i])
		}
		return float64(i), true
	case "md5":
		s := md5.Sum([]byte(str(0)))
		return hex.EncodeToString(s[:]), true
	case "sha1":
		s := sha1.Sum([]byte(str(0)))
		return hex.EncodeToString(s[:]), true
	case "sha256":
		s := sha256.Sum256([]byte(str(0)))
		return hex.EncodeToString(s[:]), true
	}
	return nil, false
}

// substring is 0-based with an exclusive end, clamped to the string.
func substring(r []rune, bounds []any) any {
	start, ok := toNumber(bounds[0])
	if !ok {
		return undefined{}
	}
	end := float64(len(r))
	if len(bounds) > 1 {
		if end, ok = toNumber(bounds[1]); !ok {
			return undefined{}
		}
	}
	s := int(math.Max(0, math.Min(start, float64(len(r)))))
	en := int(math.Max(float64(s), math.Min(end, float64(len(r)))))
	return string(r[s:en])
}

func mathFunc(fn string, args []any) any {
	a, ok := toNumber(args[0])
	if !ok {
		return undefined{}
	}
	b := 0.0
	if len(args) > 1 {
		if b, ok = toNumber(args[1]); !ok {
			return undefined{}
		}
	}
	var v float64
	switch fn {
	case "abs":
		v = math.Abs(a)
	case "round":
		v = math.Round(a)
	case "floor":
		v = math.Floor(a)
	case "ceil":
		v = math.Ceil(a)
	case "mod":
		if b == 0 {
			return undefined{}
		}
		v = math.Mod(a, b)
	case "power":
		v = math.Pow(a, b)
	case "sqrt":
		v = math.Sqrt(a)
	default:
		return undefined{}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return undefined{}
	}
	return v
}
