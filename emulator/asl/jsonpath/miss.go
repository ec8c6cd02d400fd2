package jsonpath

import "github.com/stepwire/stepwire/emulator/asl/jsonv"

// Miss explains why the path selects nothing in doc, in the words of the
// Jayway evaluator Step Functions runs (docs/step-functions.md §1.3):
//
//   - a property missing from an object before the path's last step:
//     "Missing property in path $['a']", the path up to that property;
//   - anything else (the last property missing, an index out of range):
//     "No results for path: $['a']['b']", the whole path.
//
// A step applied to a value of the wrong type (a property of a string, an
// index into an object) gets the second text too: Jayway words that case
// with Java class names that no recording shows.
func (p *Path) Miss(doc any) string {
	full := "No results for path: " + p.Bracketed()
	if !p.definite {
		return full
	}
	cur := doc
	for i, s := range p.steps {
		next, ok := single(cur, s)
		if ok {
			cur = next
			continue
		}
		if _, isObj := cur.(*jsonv.Object); isObj && s.kind == stepName && i < len(p.steps)-1 {
			prefix := &Path{steps: p.steps[:i+1]}
			return "Missing property in path " + prefix.Bracketed()
		}
		return full
	}
	return full
}
