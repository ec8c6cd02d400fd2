package sfnapi

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Pagination tokens are opaque to clients: base64 of "<kind>:<offset>",
// one kind per list. The service answers a token that is not one as
// InvalidToken, as AWS answers a bad nextToken.

// page turns maxResults and nextToken into the service's page request.
func page(kind string, maxResults int32, token string) sfnemu.Page {
	p := sfnemu.Page{Size: int(maxResults)}
	if token == "" {
		return p
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	k, n, ok := strings.Cut(string(raw), ":")
	off, aerr := strconv.Atoi(n)
	p.Start, p.Invalid = off, err != nil || !ok || k != kind || aerr != nil || off < 0
	return p
}

// nextToken is the token of the page starting at next; none when 0.
func nextToken(kind string, next int) string {
	if next == 0 {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(kind + ":" + strconv.Itoa(next)))
}
