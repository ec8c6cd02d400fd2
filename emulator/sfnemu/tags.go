package sfnemu

import (
	"fmt"
	"strings"
)

// Tags of state machines and activities: TagResource, UntagResource,
// ListTagsForResource. Stored and listed only; nothing reads them.

// maxTags is the number of tags a resource may carry.
const maxTags = 50

type tag struct {
	Key   *string `json:"key,omitempty"`
	Value *string `json:"value,omitempty"`
}

// tagSet is a resource's tags in the order they were first set. Guarded
// by the owner's mutex.
type tagSet []tag

// set adds tags, replacing the values of keys already present.
func (ts *tagSet) set(tags []tag) {
	for _, t := range tags {
		key := derefOr(t.Key)
		value := derefOr(t.Value)
		t = tag{Key: &key, Value: &value}
		replaced := false
		for i, old := range *ts {
			if *old.Key == key {
				(*ts)[i], replaced = t, true
			}
		}
		if !replaced {
			*ts = append(*ts, t)
		}
	}
}

// remove drops the given keys.
func (ts *tagSet) remove(keys []string) {
	out := (*ts)[:0]
	for _, t := range *ts {
		drop := false
		for _, k := range keys {
			drop = drop || *t.Key == k
		}
		if !drop {
			out = append(out, t)
		}
	}
	*ts = out
}

// count is the number of distinct keys after adding tags.
func (ts tagSet) count(tags []tag) int {
	seen := map[string]bool{}
	for _, t := range ts {
		seen[*t.Key] = true
	}
	for _, t := range tags {
		seen[derefOr(t.Key)] = true
	}
	return len(seen)
}

// checkTags validates a tags member (Coral names list elements
// "tags.<n>.member.<field>", counting from 1).
func checkTags(v *violations, tags []tag) {
	for i, t := range tags {
		if t.Key != nil {
			v.length(fmt.Sprintf("tags.%d.member.key", i+1), *t.Key, 1, 128, false)
		}
		if t.Value != nil {
			v.length(fmt.Sprintf("tags.%d.member.value", i+1), *t.Value, 0, 256, false)
		}
	}
}

type tagResourceInput struct {
	ResourceArn *string  `json:"resourceArn"`
	Tags        []tag    `json:"tags"`
	TagKeys     []string `json:"tagKeys"`
}

type listTagsOutput struct {
	Tags []tag `json:"tags"`
}

// taggable finds the tags of a state machine or activity ARN and runs f
// on them under the owner's lock.
func (s *Service) taggable(arn *string, f func(ts *tagSet) error) error {
	var v violations
	v.required("resourceArn", arn != nil)
	if arn != nil {
		v.length("resourceArn", *arn, 1, 256, false)
	}
	if err := v.err(); err != nil {
		return err
	}
	if !strings.HasPrefix(*arn, "arn:") {
		return fail(ErrInvalidArn, "Invalid ARN prefix: "+*arn)
	}
	if sm, err := s.stateMachine(*arn); err == nil {
		sm.mu.Lock()
		defer sm.mu.Unlock()
		return f(&sm.tags)
	}
	if a, err := s.activity(*arn); err == nil {
		a.mu.Lock()
		defer a.mu.Unlock()
		return f(&a.tags)
	}
	return fail(ErrResourceNotFound, *arn)
}

func tagResourceOp(s *Service, r *tagResourceInput) (any, error) {
	var v violations
	v.required("tags", r.Tags != nil)
	checkTags(&v, r.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	return struct{}{}, s.taggable(r.ResourceArn, func(ts *tagSet) error {
		if ts.count(r.Tags) > maxTags {
			return fail(ErrTooManyTags, fmt.Sprintf("Too many tags: %s", *r.ResourceArn))
		}
		ts.set(r.Tags)
		return nil
	})
}

func untagResourceOp(s *Service, r *tagResourceInput) (any, error) {
	var v violations
	v.required("tagKeys", r.TagKeys != nil)
	if err := v.err(); err != nil {
		return nil, err
	}
	return struct{}{}, s.taggable(r.ResourceArn, func(ts *tagSet) error {
		ts.remove(r.TagKeys)
		return nil
	})
}

func listTagsForResourceOp(s *Service, r *tagResourceInput) (any, error) {
	out := listTagsOutput{Tags: []tag{}}
	err := s.taggable(r.ResourceArn, func(ts *tagSet) error {
		out.Tags = append(out.Tags, (*ts)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
