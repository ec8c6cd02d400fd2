package asl

import "github.com/stepwire/stepwire/emulator/asl/jsonv"

// QueryLanguage is the language a state's data fields are written in: a
// definition's QueryLanguage is the default of its states, which may each
// set their own (step-functions.md §1.7).
type QueryLanguage string

// The query languages.
const (
	JSONPath QueryLanguage = "JSONPath"
	JSONata  QueryLanguage = "JSONata"
)

// readQueryLanguage reads the QueryLanguage field of the object at loc. ok
// is false when the field is absent or names neither language (reported).
func (ps *parser) readQueryLanguage(o *jsonv.Object, loc string) (ql QueryLanguage, ok bool) {
	s, ok := stringField(o, "QueryLanguage")
	if !ok {
		return "", false
	}
	ql = QueryLanguage(s)
	if ql != JSONPath && ql != JSONata {
		ps.p.schema(loc+"/QueryLanguage", "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]")
		return "", false
	}
	return ql, true
}

// queryLanguage resolves a state's query language: its own QueryLanguage
// or the machine's. A JSONata machine cannot downgrade a state to JSONPath.
func (ps *parser) queryLanguage(o *jsonv.Object, loc string) QueryLanguage {
	ql, ok := ps.readQueryLanguage(o, loc)
	if !ok {
		return ps.def.QueryLanguage
	}
	if ql == JSONPath && ps.def.QueryLanguage == JSONata {
		ps.p.schema(loc, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
	}
	return ql
}
