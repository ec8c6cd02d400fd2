package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Tagging operations on state machines and activities.

// checkResource validates the resourceArn member.
func checkResource(arn *string) error {
	var v violations
	v.required("resourceArn", arn != nil)
	if arn != nil {
		v.length("resourceArn", *arn, 1, maxArnLen, false)
	}
	return v.err()
}

func tagResource(s *sfnemu.Service, ctx context.Context, r *tagResourceInput) (any, error) {
	var v violations
	v.required("tags", r.Tags != nil)
	checkTags(&v, r.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkResource(r.ResourceArn); err != nil {
		return nil, err
	}
	return none(s.TagResource(ctx, sfnemu.TagResourceInput{ResourceArn: *r.ResourceArn, Tags: toTags(r.Tags)}))
}

func untagResource(s *sfnemu.Service, ctx context.Context, r *tagResourceInput) (any, error) {
	var v violations
	v.required("tagKeys", r.TagKeys != nil)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkResource(r.ResourceArn); err != nil {
		return nil, err
	}
	return none(s.UntagResource(ctx, sfnemu.UntagResourceInput{ResourceArn: *r.ResourceArn, TagKeys: r.TagKeys}))
}

func listTagsForResource(s *sfnemu.Service, ctx context.Context, r *tagResourceInput) (any, error) {
	if err := checkResource(r.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.ListTagsForResource(ctx, *r.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := listTagsOutput{Tags: make([]tagOutput, len(tags))}
	for i, t := range tags {
		out.Tags[i] = tagOutput{Key: t.Key, Value: t.Value}
	}
	return out, nil
}
