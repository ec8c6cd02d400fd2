package sfnemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/internal/jsonobj"
)

// checkInput validates StartExecution input: AWS reports an empty string
// and malformed JSON as InvalidExecutionInput.
func checkInput(in string) error {
	if in == "" {
		return fail(ErrInvalidExecutionInput, "Invalid execution input.")
	}
	return checkJSON(in, ErrInvalidExecutionInput)
}

// checkJSON reports text that is not one JSON value as kind, with a message
// shaped like the Jackson parser texts AWS returns.
func checkJSON(text string, kind error) error {
	if jsonobj.Valid([]byte(text)) {
		return nil
	}
	var v any
	err := json.Unmarshal([]byte(text), &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) || se.Offset < 1 || int(se.Offset) >= len(text) && se.Error() == "unexpected end of JSON input" {
		return fail(kind, "Unexpected end-of-input")
	}
	return fail(kind, jacksonMessage(text, int(se.Offset)-1))
}

// jacksonMessage describes the syntax error at byte p of text.
func jacksonMessage(text string, p int) string {
	start := p
	for start > 0 && isWordByte(text[start-1]) {
		start--
	}
	if isWordByte(text[start]) && !strings.ContainsRune("-0123456789", rune(text[start])) {
		end := p
		for end < len(text) && isWordByte(text[end]) {
			end++
		}
		return fmt.Sprintf("Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", text[start:end])
	}
	c := text[p]
	if expectsFieldName(text[:p]) {
		return fmt.Sprintf("Unexpected character ('%c' (code %d)): was expecting double-quote to start field name", c, c)
	}
	return fmt.Sprintf("Unexpected character ('%c' (code %d)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", c, c)
}

func isWordByte(b byte) bool {
	return b == '_' || b == '-' || b == '.' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// expectsFieldName reports whether the JSON prefix ends where an object key
// must start: after '{' or after ',' inside an object.
func expectsFieldName(prefix string) bool {
	var stack []byte
	inString, escaped := false, false
	var last byte
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		switch {
		case inString:
			inString = !(c == '"' && !escaped)
			escaped = c == '\\' && !escaped
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			stack = append(stack, c)
		case (c == '}' || c == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			last = c
		}
	}
	inObject := len(stack) > 0 && stack[len(stack)-1] == '{'
	return !inString && inObject && (last == '{' || last == ',')
}
