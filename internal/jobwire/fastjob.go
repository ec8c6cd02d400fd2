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
// reflection, when the message is plain: one object whose members named
// like Job's fields are spelt exactly so, with strings free of escapes and
// invalid UTF-8, integers free of fractions and exponents within int's
// range, and no null among them (Unmarshal treats null field by field). ok
// is false for anything else, invalid JSON included, which ParseJob then
// hands to json.Unmarshal. Other members are checked with json.Valid and
// skipped, as Unmarshal skips them; a member named twice keeps its last
// value, as with Unmarshal.
func parseJobPlain(data []byte) (j Job, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return Job{}, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return j, skipSpace(data, i+1) == len(data)
	}
	for {
		key, next, plain := plainString(data, i)
		if !plain {
			return Job{}, false
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return Job{}, false
		}
		i = skipSpace(data, i+1)
		end := skipValue(data, i)
		if end < 0 {
			return Job{}, false
		}
		value := data[i:end]
		field := -1
		for f, name := range jobKeys {
			if key == name {
				field = f
				break
			}
			if strings.EqualFold(key, name) {
				return Job{}, false // Unmarshal matches names case-insensitively
			}
		}
		if field >= 0 && !j.set(field, value) || field < 0 && !json.Valid(value) {
			return Job{}, false
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return Job{}, false
		}
		switch data[i] {
		case '}':
			return j, skipSpace(data, i+1) == len(data)
		case ',':
			i = skipSpace(data, i+1)
		default:
			return Job{}, false
		}
	}
}

// set stores value, plain JSON text, in the field jobKeys[field] names.
func (j *Job) set(field int, value []byte) bool {
	switch field {
	case 1:
		if string(value) == "null" || !json.Valid(value) {
			return false
		}
		j.Input = append(json.RawMessage(nil), value...)
		return true
	case 0, 5:
		n, ok := plainInt(value)
		if field == 0 {
			j.Version = n
		} else {
			j.HeartbeatSeconds = n
		}
		return ok
	}
	s, end, ok := plainString(value, 0)
	if !ok || end != len(value) {
		return false
	}
	switch field {
	case 2:
		j.TaskToken = s
	case 3:
		j.JobType = s
	case 4:
		j.JobID = s
	case 6:
		j.ExecutionArn = s
	}
	return true
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
