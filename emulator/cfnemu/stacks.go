// Package cfnemu answers CloudFormation's reads, DescribeStacks and
// ListStackResources, for the stacks the emulator loaded from SAM
// templates, so that code which finds a deployed stack's resources from
// its outputs runs unchanged against the emulator (docs/cloudformation.md).
// It creates nothing: the stacks are what the template loader resolved.
package cfnemu

import (
	"sort"
	"sync"
	"time"
)

// Stack is a loaded template as CloudFormation describes a created stack.
type Stack struct {
	Name, ID, Description string
	CreationTime          time.Time
	Parameters            map[string]string
	Outputs               []Output
	Resources             []Resource
}

// Output is one of the stack's outputs.
type Output struct {
	Key, Value, Description, ExportName string
}

// Resource is one resource of the stack.
type Resource struct {
	LogicalID, Type, PhysicalID string
}

// Service holds the stacks.
type Service struct {
	mu     sync.Mutex
	stacks map[string]Stack // by name
}

// New returns a Service without stacks.
func New() *Service { return &Service{stacks: map[string]Stack{}} }

// Put adds a stack, replacing one of the same name.
func (s *Service) Put(st Stack) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stacks[st.Name] = st
}

// Find returns the stack whose name or stack id is nameOrID.
func (s *Service) Find(nameOrID string) (Stack, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stacks[nameOrID]; ok {
		return st, true
	}
	for _, st := range s.stacks {
		if st.ID == nameOrID {
			return st, true
		}
	}
	return Stack{}, false
}

// All returns every stack, by name.
func (s *Service) All() []Stack {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Stack, 0, len(s.stacks))
	for _, st := range s.stacks {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
