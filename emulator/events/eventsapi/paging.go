package eventsapi

import (
	"encoding/base64"
	"strconv"
)

// defaultPage is the page size when Limit is absent.
const defaultPage = 100

// page returns items[start:start+limit] and the token of the rest. The
// token is the opaque encoding of the next offset.
func page[T any](items []T, token *string, limit *int32) ([]T, string, error) {
	start := 0
	if token != nil {
		n, ok := decodeToken(*token)
		if !ok || n > len(items) {
			// AWS's text is not recorded.
			return nil, "", validation("Invalid NextToken: " + *token)
		}
		start = n
	}
	size := defaultPage
	if limit != nil {
		size = int(*limit)
	}
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(end)))
	}
	return items[start:end], next, nil
}

func decodeToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 2 || b[0] != 'o' {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[1:]))
	return n, err == nil && n >= 0
}
