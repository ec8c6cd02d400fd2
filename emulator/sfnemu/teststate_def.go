package sfnemu

import (
	"slices"
	"strconv"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// singleStateName names the state of a TestState definition that is one
// state rather than a machine (docs/step-functions.md §8.2).
const singleStateName = "TestState"

// testDefinition parses a TestState definition: a whole machine when
// stateName is given, else one state. One state is validated as the only
// state of a machine whose other states are the targets of its Next,
// Default, Choices and Catch, each a Succeed. It returns the definition
// and the name of the state to test.
func testDefinition(definition, stateName string) (*asl.Definition, string, error) {
	if stateName != "" {
		def, err := parseDefinition(definition, asl.TypeStandard)
		if err != nil {
			return nil, "", err
		}
		if _, ok := def.States[stateName]; !ok {
			return nil, "", failf(ErrInvalidDefinition,
				"Invalid State Machine Definition: 'The state '%s' is not in the state machine definition'", stateName)
		}
		return def, stateName, nil
	}
	doc, err := jsonv.DecodeString(definition)
	state, isObject := doc.(*jsonv.Object)
	if err != nil || !isObject {
		_, err := parseDefinition(definition, asl.TypeStandard)
		if err == nil {
			err = fail(ErrInvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at /'")
		}
		return nil, "", err
	}
	targets := nextTargets(state)
	name := singleStateName
	for i := 1; slices.Contains(targets, name); i++ {
		name = singleStateName + strconv.Itoa(i)
	}
	states := jsonv.NewObject(len(targets) + 1)
	states.Set(name, state)
	for _, t := range targets {
		succeed := jsonv.NewObject(1)
		succeed.Set("Type", "Succeed")
		states.Set(t, succeed)
	}
	machine := jsonv.NewObject(2)
	machine.Set("StartAt", name)
	machine.Set("States", states)
	def, err := parseDefinition(jsonv.EncodeString(machine), asl.TypeStandard)
	if err != nil {
		return nil, "", err
	}
	return def, name, nil
}

// nextTargets are the state names a state's transitions name.
func nextTargets(state *jsonv.Object) []string {
	var out []string
	add := func(o *jsonv.Object, key string) {
		if v, ok := o.Get(key); ok {
			if s, ok := v.(string); ok && s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	add(state, "Next")
	add(state, "Default")
	for _, key := range []string{"Choices", "Catch"} {
		list, _ := state.Get(key)
		items, _ := list.([]any)
		for _, it := range items {
			if o, ok := it.(*jsonv.Object); ok {
				add(o, "Next")
			}
		}
	}
	return out
}
