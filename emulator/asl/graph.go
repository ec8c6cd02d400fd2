package asl

// Graph checks run once a scope's states parsed without schema problems,
// in AWS's order: a StartAt naming no state, Next targets naming no state
// (checkTransitions), states nothing reaches, then a scope without any
// terminal state. Texts as AWS reports them (docs/step-functions.md §4.3,
// localstack#11978, floci#2735).

// checkGraph reports unreachable states and a missing terminal state.
func (ps *parser) checkGraph(sc *Scope, loc string) {
	reached := map[string]bool{}
	queue := []string{sc.StartAt}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		st, ok := sc.States[name]
		if !ok || reached[name] {
			continue
		}
		reached[name] = true
		for _, t := range transitions(st) {
			queue = append(queue, t.target)
		}
	}
	terminal := false
	for _, name := range sc.Names {
		if !reached[name] {
			ps.p.add(CodeUnreachable, loc+"/States/"+escapePointer(name), "State \"%s\" is not reachable.", name)
		}
		switch st := sc.States[name]; st.(type) {
		case *Succeed, *Fail:
			terminal = true
		default:
			terminal = terminal || st.Common().End
		}
	}
	if !terminal && len(sc.Names) > 0 {
		ps.p.add(CodeMissingEnd, "", "Workflow has no terminal state")
	}
}

// checkDuplicate reports a state name used twice anywhere in the machine
// (state names are unique across branches and item processors).
func (ps *parser) checkDuplicate(name, loc string) {
	if ps.seen == nil {
		ps.seen = map[string]bool{}
	}
	if ps.seen[name] {
		ps.p.add(CodeDuplicateState, loc, "Duplicate State name: %s", name)
	}
	ps.seen[name] = true
}

// schemaValid reports whether no schema problem was found so far.
func (ps *parser) schemaValid() bool {
	for _, p := range ps.p.list {
		if p.Code == CodeSchema || p.Code == CodeInvalidJSON {
			return false
		}
	}
	return true
}
