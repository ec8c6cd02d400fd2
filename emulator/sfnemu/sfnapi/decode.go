package sfnapi

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/internal/jsonobj"
)

// decodeRequest unmarshals an awsJson1_0 request body into the struct v
// points to, the way Step Functions' request deserializer does: unknown
// members are ignored, null is absent, a decimal where an integer is
// expected is truncated, and a member of the wrong JSON type is a
// SerializationException with the deserializer's own words ("NUMBER_VALUE
// can not be converted to a String", "Expected list or null", ...), never
// a 500.
func decodeRequest(body []byte, v any) *awsapi.Error {
	if !jsonobj.Valid(body) {
		return serializationError("Malformed request body: not a JSON document")
	}
	if err := decodeValue(json.RawMessage(body), reflect.ValueOf(v).Elem()); err != "" {
		return serializationError(err)
	}
	return nil
}

func serializationError(message string) *awsapi.Error {
	return &awsapi.Error{Code: "SerializationException", Message: message}
}

// jsonKind names a JSON value's type as the deserializer's messages do.
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "NULL_VALUE"
	}
	switch raw[0] {
	case '"':
		return "STRING_VALUE"
	case '{':
		return "START_OBJECT"
	case '[':
		return "START_ARRAY"
	case 't':
		return "TRUE_VALUE"
	case 'f':
		return "FALSE_VALUE"
	case 'n':
		return "NULL_VALUE"
	}
	return "NUMBER_VALUE"
}

// mismatch is the deserializer's message for a value of kind where target
// was expected ("a String", "an Integer", "a Boolean").
func mismatch(kind, target string) string {
	switch kind {
	case "START_OBJECT":
		return "Start of structure or map found where not expected."
	case "START_ARRAY":
		return "Start of list found where not expected."
	}
	return kind + " can not be converted to " + target
}

// decodeValue decodes raw into dst and returns the deserializer's message
// on a type mismatch ("" when it fits). raw is valid JSON.
func decodeValue(raw json.RawMessage, dst reflect.Value) string {
	kind := jsonKind(raw)
	if kind == "NULL_VALUE" {
		return "" // null members are absent
	}
	if dst.Type() == reflect.TypeFor[json.RawMessage]() {
		dst.SetBytes(append([]byte(nil), bytes.TrimSpace(raw)...))
		return ""
	}
	switch dst.Kind() {
	case reflect.Pointer:
		elem := reflect.New(dst.Type().Elem())
		if msg := decodeValue(raw, elem.Elem()); msg != "" {
			return msg
		}
		dst.Set(elem)
	case reflect.String:
		if kind != "STRING_VALUE" {
			return mismatch(kind, "a String")
		}
		s, _ := jsonobj.String(bytes.TrimSpace(raw))
		dst.SetString(s)
	case reflect.Int32, reflect.Int64, reflect.Int:
		if kind != "NUMBER_VALUE" {
			return mismatch(kind, "an Integer")
		}
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil || math.IsInf(f, 0) || dst.OverflowInt(int64(f)) {
			return "NUMBER_VALUE can not be converted to an Integer"
		}
		dst.SetInt(int64(f)) // decimals are truncated, as AWS does
	case reflect.Bool:
		if kind != "TRUE_VALUE" && kind != "FALSE_VALUE" {
			return mismatch(kind, "a Boolean")
		}
		dst.SetBool(kind == "TRUE_VALUE")
	case reflect.Slice:
		return decodeList(raw, kind, dst)
	case reflect.Struct:
		return decodeStruct(raw, kind, dst)
	case reflect.Map:
		return decodeMap(raw, kind, dst)
	default:
		return "Unsupported member type"
	}
	return ""
}

func decodeList(raw json.RawMessage, kind string, dst reflect.Value) string {
	switch kind {
	case "START_ARRAY":
	case "START_OBJECT":
		return mismatch(kind, "")
	default:
		return "Expected list or null"
	}
	var items []json.RawMessage
	_ = json.Unmarshal(raw, &items)
	out := reflect.MakeSlice(dst.Type(), 0, len(items))
	for _, item := range items {
		if jsonKind(item) == "NULL_VALUE" {
			continue // AWS drops null elements
		}
		elem := reflect.New(dst.Type().Elem()).Elem()
		if msg := decodeValue(item, elem); msg != "" {
			return msg
		}
		out = reflect.Append(out, elem)
	}
	dst.Set(out)
	return ""
}

// objectMembers splits a JSON object into its members, or says why the
// value is not one, in the service's deserialization wording.
func objectMembers(raw json.RawMessage, kind string) (map[string]json.RawMessage, string) {
	switch kind {
	case "START_OBJECT":
	case "START_ARRAY":
		return nil, mismatch(kind, "")
	default:
		return nil, "Expected null"
	}
	members := map[string]json.RawMessage{}
	_ = jsonobj.Members(raw, func(key string, value []byte) { members[key] = value }) // the body is valid JSON
	return members, ""
}

func decodeStruct(raw json.RawMessage, kind string, dst reflect.Value) string {
	members, msg := objectMembers(raw, kind)
	if msg != "" {
		return msg
	}
	t := dst.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		v, ok := members[name]
		if !ok {
			continue
		}
		if msg := decodeValue(v, dst.Field(i)); msg != "" {
			return msg
		}
	}
	return ""
}

func decodeMap(raw json.RawMessage, kind string, dst reflect.Value) string {
	members, msg := objectMembers(raw, kind)
	if msg != "" {
		return msg
	}
	out := reflect.MakeMapWithSize(dst.Type(), len(members))
	for k, v := range members {
		elem := reflect.New(dst.Type().Elem()).Elem()
		if msg := decodeValue(v, elem); msg != "" {
			return msg
		}
		out.SetMapIndex(reflect.ValueOf(k), elem)
	}
	dst.Set(out)
	return ""
}
