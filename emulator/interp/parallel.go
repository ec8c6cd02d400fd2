package interp

import (
	"github.com/stepwire/stepwire/emulator/asl"
)

// runParallel starts a Parallel state: every branch gets the effective
// input (or the evaluated Parameters).
func (m *Machine) runParallel(s *asl.Parallel) {
	r := m.th.cur
	eff, err := m.applyInputPath(s.InputPath, r.rawInput)
	if err != nil {
		m.runtimeError(err)
		return
	}
	input := eff
	if s.Parameters != nil {
		if input, err = s.Parameters.Eval(m.env(eff)); err != nil {
			m.runtimeError(err)
			return
		}
	}
	inputs := make([]any, len(s.Branches))
	for i := range inputs {
		inputs[i] = input
	}
	r.effInput = eff
	r.fanOut = &fanOutRun{
		scopes: s.Branches, inputs: inputs,
		retriers: s.Retry, catchers: s.Catch, retries: make([]int64, len(s.Retry)),
		resultSelector: s.ResultSelector, resultPath: s.ResultPath, outputPath: s.OutputPath,
	}
	m.startFanOut(r, r.enteredID)
}
