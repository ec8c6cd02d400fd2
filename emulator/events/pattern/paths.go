package pattern

// Paths returns the paths of the fields the pattern tests, $or
// alternatives included: an event's other fields cannot change whether it
// matches, so a caller may leave them out of the Event it builds.
func (p *Pattern) Paths() []string { return p.paths }

// paths lists the field paths of n and its alternatives, each once.
func (n *node) paths(seen map[string]bool, out []string) []string {
	for _, f := range n.fields {
		if !seen[f.path] {
			seen[f.path] = true
			out = append(out, f.path)
		}
	}
	for _, group := range n.ors {
		for _, alt := range group {
			out = alt.paths(seen, out)
		}
	}
	return out
}
