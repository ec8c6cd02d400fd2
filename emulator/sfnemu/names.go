package sfnemu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// validName reports whether name is a valid state machine, execution or
// activity name: 1 to 80 characters, no whitespace, brackets, wildcards,
// special or control characters.
func validName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > maxNameLen {
		return false
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			return false
		}
	}
	return true
}
