package mockconfig

// TestCase returns the states of a test case: state → response name.
func (c *Config) TestCase(machine, name string) (map[string]string, bool) {
	tc, ok := c.machines[machine][name]
	return tc, ok
}

// Response returns the answer of response name to invocation n.
func (c *Config) Response(name string, n int) (Response, bool) {
	for _, a := range c.responses[name] {
		if n >= a.lo && n <= a.hi {
			return a.resp, true
		}
	}
	return Response{}, false
}
