package asl

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Fields each state type accepts. AWS refuses any other field with
// "Field '<name>' is not supported" at the state (floci#2735 measured this
// for TimeoutSeconds, Retry and Catch on the types without them).
var (
	commonFields   = "Type Comment QueryLanguage"
	jsonPathIO     = " InputPath OutputPath"
	jsonPathResult = " Parameters ResultSelector ResultPath"
	transition     = " Next End Assign"
	errorHandling  = " Retry Catch"

	stateFields = map[string]string{
		"Task": transition + errorHandling + jsonPathIO + jsonPathResult + " Resource Credentials Arguments Output" +
			" TimeoutSeconds TimeoutSecondsPath HeartbeatSeconds HeartbeatSecondsPath",
		"Pass":     transition + jsonPathIO + " Parameters ResultPath Result Output",
		"Wait":     transition + jsonPathIO + " Seconds SecondsPath Timestamp TimestampPath Output",
		"Choice":   jsonPathIO + " Choices Default Assign Output",
		"Succeed":  jsonPathIO + " Output",
		"Fail":     " Error ErrorPath Cause CausePath",
		"Parallel": transition + errorHandling + jsonPathIO + jsonPathResult + " Branches Arguments Output",
		"Map": transition + errorHandling + jsonPathIO + " ResultSelector ResultPath Parameters ItemSelector ItemsPath" +
			" Items ItemProcessor Iterator ItemReader ItemBatcher ResultWriter MaxConcurrency MaxConcurrencyPath" +
			" ToleratedFailurePercentage ToleratedFailurePercentagePath ToleratedFailureCount ToleratedFailureCountPath" +
			" Label Output",
	}
	// jsonPathOnly fields are refused in JSONata states.
	jsonPathOnly = " InputPath OutputPath Parameters ResultSelector ResultPath Result ItemsPath MaxConcurrencyPath" +
		" TimeoutSecondsPath HeartbeatSecondsPath SecondsPath TimestampPath ErrorPath CausePath" +
		" ToleratedFailurePercentagePath ToleratedFailureCountPath "
	// jsonataOnly fields are refused in JSONPath states.
	jsonataOnly = " Arguments Output Items "
)

// checkFields reports fields the state type (in its query language) does
// not accept.
func (ps *parser) checkFields(typ string, ql QueryLanguage, o *jsonv.Object, loc string) {
	allowed, known := stateFields[typ]
	if !known {
		return
	}
	allowed = " " + commonFields + allowed + " "
	for _, m := range o.Members {
		k := " " + m.Key + " "
		refused := !strings.Contains(allowed, k)
		if ql == JSONata {
			refused = refused || strings.Contains(jsonPathOnly, k)
		} else {
			refused = refused || strings.Contains(jsonataOnly, k)
		}
		if refused {
			ps.p.schema(loc, "Field '%s' is not supported", m.Key)
		}
	}
}
