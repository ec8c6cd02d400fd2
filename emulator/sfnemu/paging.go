package sfnemu

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Pagination tokens are opaque to clients: base64 of "<kind>:<offset>".
// Anything else is InvalidToken, as AWS answers a bad nextToken.

// defaultPageSize applies when maxResults is 0 or absent.
const defaultPageSize = 100

func encodePage(kind string, offset int) string {
	return base64.StdEncoding.EncodeToString([]byte(kind + ":" + strconv.Itoa(offset)))
}

// decodePage returns the offset a token names; an empty token is 0.
func decodePage(kind, token string, limit int) (int, error) {
	if token == "" {
		return 0, nil
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	k, n, ok := strings.Cut(string(raw), ":")
	off, aerr := strconv.Atoi(n)
	if err != nil || !ok || k != kind || aerr != nil || off < 0 || off > limit {
		return 0, fail(ErrInvalidToken, "Invalid token")
	}
	return off, nil
}

// pageSize turns maxResults into a page size.
func pageSize(maxResults int32) int {
	if maxResults <= 0 {
		return defaultPageSize
	}
	return int(maxResults)
}
