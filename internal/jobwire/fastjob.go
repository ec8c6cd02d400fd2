package jobwire

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jobKeys are Job's JSON names, in struct order.
var jobKeys = [...]string{"version", "Input", "TaskToken", "jobType", "jobId", "heartbeatSeconds", "executionArn"}

// parseJobPlain reads a job the way json.Unmarshal does, without
// reflection, when the message is plain (plainObject); ok is false
// otherwise, and ParseJob then hands the message to json.Unmarshal.
func parseJobPlain(data []byte) (j Job, ok bool) {
	if !plainObject(data, jobKeys[:], j.set) {
		return Job{}, false
	}
	return j, true
}

// plainObject reads data as json.Unmarshal reads it into a struct whose
// JSON names are keys, calling set with the index of the name and the
// member's text, when data is plain: one object whose members named like
// the struct's fields are spelt exactly so and whose values set accepts
// (plain strings, integers, JSON text, no null: Unmarshal treats null
// field by field). Other members are checked with json.Valid and skipped,
// as Unmarshal skips them; a member named twice is set twice, the last
// value staying, as with Unmarshal. It reports false for anything else,
// invalid JSON included.
func plainObject(data []byte, keys []string, set func(field int, value []byte) bool) bool {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return skipSpace(data, i+1) == len(data)
	}
	for {
		key, next, plain := plainString(data, i)
		if !plain {
			return false
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return false
		}
		i = skipSpace(data, i+1)
		end := skipValue(data, i)
		if end < 0 {
			return false
		}
		value := data[i:end]
		field := -1
		for f, name := range keys {
			if key == name {
				field = f
				break
			}
			if strings.EqualFold(key, name) {
				return false // Unmarshal matches names case-insensitively
			}
		}
		if field >= 0 && !set(field, value) || field < 0 && !json.Valid(value) {
			return false
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return false
		}
		switch data[i] {
		case '}':
			return skipSpace(data, i+1) == len(data)
		case ',':
			i = skipSpace(data, i+1)
		default:
			return false
		}
	}
}

// set stores value, a member's JSON text, in the field jobKeys[field]
// names, if it is plain.
func (j *Job) set(field int, value []byte) bool {
	switch field {
	case 0:
		return setInt(&j.Version, value)
	case 1:
		return setRaw(&j.Input, value)
	case 2:
		return setString(&j.TaskToken, value)
	case 3:
		return setString(&j.JobType, value)
	case 4:
		return setString(&j.JobID, value)
	case 5:
		return setInt(&j.HeartbeatSeconds, value)
	case 6:
		return setString(&j.ExecutionArn, value)
	}
	return false
}

// setRaw stores JSON text other than null, as json.RawMessage's
// UnmarshalJSON stores it (a copy).
func setRaw(dst *json.RawMessage, value []byte) bool {
	if string(value) == "null" || !json.Valid(value) {
		return false
	}
	*dst = append(json.RawMessage(nil), value...)
	return true
}

// setString stores a plain string literal.
func setString(dst *string, value []byte) bool {
	s, end, ok := plainString(value, 0)
	if !ok || end != len(value) {
		return false
	}
	*dst = s
	return true
}

// setInt stores a plain integer literal.
func setInt(dst *int, value []byte) bool {
	n, ok := plainInt(value)
	if ok {
		*dst = n
	}
	return ok
}

// plainString reads the string literal at data[i]: its text when it has
// no escapes nor control characters and is valid UTF-8, and the index
// after it.
func plainString(data []byte, i int) (s string, next int, ok bool) {
	if i >= len(data) || data[i] != '"' {
		return "", 0, false
	}
	for k := i + 1; k < len(data); k++ {
		switch c := data[k]; {
		case c == '\\' || c < 0x20:
			return "", 0, false
		case c == '"':
			b := data[i+1 : k]
			if !utf8.Valid(b) {
				return "", 0, false
			}
			return string(b), k + 1, true
		}
	}
	return "", 0, false
}

// plainInt reads a JSON integer literal without fraction or exponent
// that fits an int.
func plainInt(value []byte) (int, bool) {
	digits := value
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		return 0, false // no digits, or a leading zero
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(string(value))
	return n, err == nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index after the JSON value at data[i], or -1
// when it finds none. It does not check the value (set and json.Valid
// do).
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	switch c := data[i]; {
	case c == '"':
		for k := i + 1; k < len(data); k++ {
			switch data[k] {
			case '\\':
				k++
			case '"':
				return k + 1
			}
		}
		return -1
	case c == '{' || c == '[':
		depth := 0
		for k := i; k < len(data); k++ {
			switch data[k] {
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return k + 1
				}
			case '"':
				end := skipValue(data, k)
				if end < 0 {
					return -1
				}
				k = end - 1
			}
		}
		return -1
	default: // a number, true, false or null
		k := i
		for k < len(data) && !strings.ContainsRune(" \t\r\n,}]", rune(data[k])) {
			k++
		}
		return k
	}
}

// resultKeys are Result's JSON names, in struct order.
var resultKeys = [...]string{"version", "TaskToken", "kind", "result", "error", "cause", "exception", "progress", "executionArn", "jobId"}

// parseResultPlain is parseJobPlain for a results-topic message.
func parseResultPlain(data []byte) (r Result, ok bool) {
	if !plainObject(data, resultKeys[:], r.set) {
		return Result{}, false
	}
	return r, true
}

// set stores value, a member's JSON text, in the field resultKeys[field]
// names, if it is plain.
func (r *Result) set(field int, value []byte) bool {
	switch field {
	case 0:
		return setInt(&r.Version, value)
	case 1:
		return setString(&r.TaskToken, value)
	case 2:
		return setString((*string)(&r.Kind), value)
	case 3:
		return setRaw(&r.Result, value)
	case 4:
		return setString(&r.Error, value)
	case 5:
		return setString(&r.Cause, value)
	case 6:
		return setString(&r.Exception, value)
	case 7:
		return setRaw(&r.Progress, value)
	case 8:
		return setString(&r.ExecutionArn, value)
	case 9:
		return setString(&r.JobID, value)
	}
	return false
}
