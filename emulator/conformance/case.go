// Package conformance replays the Step Functions cases recorded on real
// AWS (testdata/conformance/sfn, format in its README) against a fresh
// in-process stepwire Step Functions service each, through the public
// awsJson1_0 API, and compares what stepwire answers with what AWS did.
//
// Every case runs on a virtual clock that moves only when the execution is
// idle (sfnemu's WaitIdle), to the next timer or scripted callback, so waits,
// retries and timeouts of hours take microseconds.
package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Case is one recorded scenario.
type Case struct {
	ID, Category, File string
	Tags               []string
	// Functions are the Lambda functions the case's test deployed, from
	// the functions file beside its directory (FunctionsFile).
	Functions []Function
	doc       *jsonv.Object
}

// get returns a top-level member of the case document.
func (c *Case) get(key string) (any, bool) { return c.doc.Get(key) }

// object returns a top-level member that is an object, or nil.
func (c *Case) object(key string) *jsonv.Object {
	v, _ := c.get(key)
	o, _ := v.(*jsonv.Object)
	return o
}

// HasTag reports whether the case carries tag.
func (c *Case) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Load reads every *.json case of the directories, sorted by file name,
// with the deployed functions the file beside each directory lists.
func Load(dirs ...string) ([]*Case, error) {
	var out []*Case
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("load cases: %w", err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("load cases: no *.json in %s", dir)
		}
		sort.Strings(files)
		var inDir []*Case
		for _, f := range files {
			c, err := loadCase(f)
			if err != nil {
				return nil, err
			}
			inDir = append(inDir, c)
		}
		if err := loadFunctions(dir, inDir); err != nil {
			return nil, err
		}
		out = append(out, inDir...)
	}
	return out, nil
}

func loadCase(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load case: %w", err)
	}
	v, err := jsonv.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("load case %s: %w", path, err)
	}
	o, ok := v.(*jsonv.Object)
	if !ok {
		return nil, fmt.Errorf("load case %s: not a JSON object", path)
	}
	c := &Case{File: filepath.Base(path), doc: o}
	c.ID, _ = str(o, "id")
	c.Category, _ = str(o, "category")
	tags, _ := o.Get("tags")
	list, _ := tags.([]any)
	for _, t := range list {
		if s, ok := t.(string); ok {
			c.Tags = append(c.Tags, s)
		}
	}
	if c.ID == "" || c.Category == "" {
		return nil, fmt.Errorf("load case %s: id and category are required", path)
	}
	return c, nil
}

// str returns a string member of o.
func str(o *jsonv.Object, key string) (string, bool) {
	if o == nil {
		return "", false
	}
	v, ok := o.Get(key)
	s, isStr := v.(string)
	return s, ok && isStr
}

// asObject is v as an object, or nil.
func asObject(v any) *jsonv.Object {
	o, _ := v.(*jsonv.Object)
	return o
}
