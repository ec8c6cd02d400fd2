package awsapi

import (
	"strconv"
	"time"
)

// Epoch is a timestamp as AWS's JSON protocols (awsJson for Step
// Functions, restJson for the IoT control plane) put it on the wire:
// seconds since the Unix epoch with a millisecond fraction when there is
// one, e.g. 1712345678.123 or 1712345678. (The IoT data plane's
// lastModifiedTime is an integer of milliseconds instead; it is not an
// Epoch.)
type Epoch time.Time

// MarshalJSON writes the timestamp as a JSON number.
func (t Epoch) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(time.Time(t).UnixMilli())/1000, 'f', -1, 64), nil
}
