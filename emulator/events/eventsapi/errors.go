package eventsapi

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/events"
)

// errorCodes is the one place service errors get their AWS codes
// (docs/eventbridge.md §3.4). EventBridge's __type is the bare code.
var errorCodes = map[error]string{
	events.ErrResourceNotFound:    "ResourceNotFoundException",
	events.ErrValidation:          "ValidationException",
	events.ErrInvalidEventPattern: "InvalidEventPatternException",
	events.ErrLimitExceeded:       "LimitExceededException",
}

// toAWS maps a service error to its wire form. Unknown errors become
// InternalFailure.
func toAWS(err error) *awsapi.Error {
	var d *events.Error
	if !errors.As(err, &d) {
		return awsapi.Internal(err)
	}
	code, ok := errorCodes[d.Kind]
	if !ok {
		return awsapi.Internal(err)
	}
	msg := d.Detail
	if d.Kind == events.ErrInvalidEventPattern {
		msg = "Event pattern is not valid. Reason: " + d.Detail // docs/eventbridge.md §2.3
	}
	return awsapi.Errorf("", code, "%s", msg)
}

// decodeRequest unmarshals an awsJson1_1 body. Unknown members are
// ignored; a member of the wrong JSON type is a SerializationException.
func decodeRequest(body []byte, v any) *awsapi.Error {
	if !json.Valid(body) {
		return serialization("Malformed request body: not a JSON document")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return serialization(fmt.Sprintf("%s value can not be converted to %s at '%s'", te.Value, te.Type, te.Field))
		}
		return serialization(err.Error())
	}
	return nil
}

func serialization(message string) *awsapi.Error {
	return &awsapi.Error{Code: "SerializationException", Message: message}
}
