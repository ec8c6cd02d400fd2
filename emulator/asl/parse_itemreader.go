package asl

import (
	"regexp"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// s3Resource matches the Resource of an ItemReader or a ResultWriter: an
// Amazon S3 action of the optimized integration, such as
// arn:aws:states:::s3:getObject.
var s3Resource = regexp.MustCompile(`^arn:aws[a-z-]*:states:::s3:[A-Za-z0-9]+$`)

// Allowed values of the ReaderConfig fields (AWS "ItemReader (Map)").
var (
	readerInputTypes    = []string{"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"}
	csvHeaderLocations  = []string{"FIRST_ROW", "GIVEN"}
	csvDelimiters       = []string{"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"}
	writerTransforms    = []string{"NONE", "COMPACT", "FLATTEN"}
	writerOutputTypes   = []string{"JSON", "JSONL"}
	readerFieldsPath    = " Resource ReaderConfig Parameters "
	readerFieldsJSONata = " Resource ReaderConfig Arguments "
	readerConfigFields  = " InputType CSVHeaderLocation CSVHeaders CSVDelimiter MaxItems MaxItemsPath ManifestType "
	writerFieldsPath    = " Resource Parameters WriterConfig "
	writerFieldsJSONata = " Resource Arguments WriterConfig "
)

// itemReader reads a Distributed Map's ItemReader: Resource (an S3
// action) is required, ReaderConfig and Parameters (JSONPath) or
// Arguments (JSONata) are checked for their shape. stepwire does not read
// S3: the items come from a mock configuration at run time.
func (ps *parser) itemReader(v any, loc string) *ItemReader {
	o, ok := v.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc, "The field 'ItemReader' should be an object")
		return nil
	}
	r := &ItemReader{}
	allowed := readerFieldsPath
	if ps.ql == JSONata {
		allowed = readerFieldsJSONata
	}
	ps.onlyFields(o, loc, allowed)
	r.Resource = ps.s3Resource(o, loc)
	if ps.ql == JSONata {
		r.Arguments = ps.jvalue(o, "Arguments", loc)
	} else {
		r.Parameters = ps.template(o, "Parameters", loc)
	}
	cv, has := o.Get("ReaderConfig")
	if !has {
		return r
	}
	cfg, ok := cv.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc+"/ReaderConfig", "The field 'ReaderConfig' should be an object")
		return r
	}
	cloc := loc + "/ReaderConfig"
	ps.onlyFields(cfg, cloc, readerConfigFields)
	r.InputType = ps.enumField(cfg, "InputType", cloc, readerInputTypes)
	ps.enumField(cfg, "CSVHeaderLocation", cloc, csvHeaderLocations)
	ps.enumField(cfg, "CSVDelimiter", cloc, csvDelimiters)
	if hv, has := cfg.Get("CSVHeaders"); has {
		list, isList := hv.([]any)
		for _, h := range list {
			if _, isStr := h.(string); !isStr {
				isList = false
			}
		}
		if !isList {
			ps.p.schema(cloc+"/CSVHeaders", "The field 'CSVHeaders' should be an array of strings")
		}
	}
	if where, _ := stringField(cfg, "CSVHeaderLocation"); where == "GIVEN" {
		if _, has := cfg.Get("CSVHeaders"); !has {
			ps.p.schema(cloc, "The field 'CSVHeaders' is required when 'CSVHeaderLocation' is GIVEN")
		}
	}
	if ps.ql == JSONata {
		r.MaxItems, r.MaxItemsExpr = ps.secondsField(cfg, "MaxItems", cloc, 0)
		if _, has := cfg.Get("MaxItemsPath"); has {
			ps.p.schema(cloc, "Field 'MaxItemsPath' is not supported")
		}
	} else {
		r.MaxItems, _ = ps.intField(cfg, "MaxItems", cloc+"/MaxItems", 0)
		r.MaxItemsPath = ps.optPath(cfg, "MaxItemsPath", cloc)
		ps.onlyOne(cfg, cloc, "MaxItems", "MaxItemsPath")
	}
	return r
}

// resultWriter reads a Distributed Map's ResultWriter: Resource (an S3
// action) with Parameters or Arguments, and/or WriterConfig.
func (ps *parser) resultWriter(v any, loc string) *ResultWriter {
	o, ok := v.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc, "The field 'ResultWriter' should be an object")
		return nil
	}
	allowed := writerFieldsPath
	if ps.ql == JSONata {
		allowed = writerFieldsJSONata
	}
	ps.onlyFields(o, loc, allowed)
	w := &ResultWriter{}
	_, hasRes := o.Get("Resource")
	cv, hasCfg := o.Get("WriterConfig")
	if hasRes || !hasCfg {
		w.Resource = ps.s3Resource(o, loc)
	}
	if ps.ql == JSONata {
		ps.jvalue(o, "Arguments", loc)
	} else {
		ps.template(o, "Parameters", loc)
	}
	if hasCfg {
		cfg, isObj := cv.(*jsonv.Object)
		if !isObj {
			ps.p.schema(loc+"/WriterConfig", "The field 'WriterConfig' should be an object")
			return w
		}
		cloc := loc + "/WriterConfig"
		ps.onlyFields(cfg, cloc, " Transformation OutputType ")
		ps.enumField(cfg, "Transformation", cloc, writerTransforms)
		ps.enumField(cfg, "OutputType", cloc, writerOutputTypes)
	}
	return w
}

// s3Resource reads the required Resource of an ItemReader or ResultWriter.
func (ps *parser) s3Resource(o *jsonv.Object, loc string) string {
	v, has := o.Get("Resource")
	if !has {
		ps.p.schema(loc, "These fields are required: [Resource]")
		return ""
	}
	s, isStr := v.(string)
	if !isStr || !s3Resource.MatchString(s) {
		ps.p.schema(loc+"/Resource", "The value for the field 'Resource' must be an Amazon S3 action such as arn:aws:states:::s3:getObject")
	}
	return s
}

// enumField reads an optional string field that must be one of values.
func (ps *parser) enumField(o *jsonv.Object, field, loc string, values []string) string {
	v, has := o.Get(field)
	if !has {
		return ""
	}
	s, _ := v.(string)
	for _, ok := range values {
		if s == ok {
			return s
		}
	}
	ps.p.schema(loc+"/"+field, "The field '%s' should have one of these values: [%s]", field, joinNames(values))
	return ""
}

// onlyFields refuses the members of o not in allowed (space-separated,
// with a space at each end).
func (ps *parser) onlyFields(o *jsonv.Object, loc, allowed string) {
	for _, m := range o.Members {
		if !containsWord(allowed, m.Key) {
			ps.p.schema(loc, "Field '%s' is not supported", m.Key)
		}
	}
}

func containsWord(list, w string) bool { return strings.Contains(list, " "+w+" ") }
