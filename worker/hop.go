package worker

import (
	"crypto/sha256"
	"encoding/hex"
)

// hopMessage is the message of the one Info line logged per hop of a job.
const hopMessage = "hop"

// tokenRef is a short fingerprint of a task token for log lines; the stepwire
// Lambdas log the same value, so one job's hops can be correlated.
func tokenRef(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:6])
}
