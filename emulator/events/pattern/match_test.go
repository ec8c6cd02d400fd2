package pattern

import (
	"fmt"
	"testing"
)

// envelope is an EventBridge event with the given detail, as in the AWS
// examples (docs/eventbridge.md §1).
func envelope(detail string) string {
	return `{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718",` +
		`"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",` +
		`"account":"111122223333","time":"2017-10-02T18:43:48Z","region":"us-west-1",` +
		`"resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],` +
		`"detail":` + detail + `}`
}

// d is an event whose detail is the given members.
func d(members string) string { return envelope("{" + members + "}") }

type matchCase struct {
	cite    string // the section of docs/eventbridge.md that states the rule
	pattern string
	event   string
	want    bool
}

// The rows come from the examples of the EventBridge user guide pages
// "Amazon EventBridge event patterns" and "Content filtering in Amazon
// EventBridge event patterns", and from the AWS-validated cases listed in
// docs/eventbridge.md §2.4.
var matchCases = []matchCase{
	// §2.1 exact values, AND across fields, OR within a field
	{"§2.1 exact", `{"source":["aws.ec2"]}`, d(`"state":"running"`), true},
	{"§2.1 exact", `{"source":["aws.s3"]}`, d(`"state":"running"`), false},
	{"§2.1 OR", `{"source":["aws.s3","aws.ec2"]}`, d(`"state":"running"`), true},
	{"§2.1 AND", `{"source":["aws.ec2"],"detail-type":["EC2 Instance State-change Notification"]}`, d(`"state":"running"`), true},
	{"§2.1 AND", `{"source":["aws.ec2"],"detail-type":["Other"]}`, d(`"state":"running"`), false},
	{"§2.1 nesting", `{"detail":{"state":["running","stopped"]}}`, d(`"state":"running"`), true},
	{"§2.1 nesting", `{"detail":{"state":["stopped"]}}`, d(`"state":"running"`), false},
	{"§2.1 case", `{"source":["AWS.EC2"]}`, d(`"state":"running"`), false},
	{"§2.1 key case", `{"detail":{"MY_KEY":["v"]}}`, d(`"my_key":"v"`), false},
	{"§2.1 absent", `{"detail":{"other":["running"]}}`, d(`"state":"running"`), false},
	// §2.1 arrays
	{"§2.1 arrays", `{"resources":["arn:x","arn:y"]}`, `{"source":"s","resources":["arn:z","arn:x"]}`, true},
	{"§2.1 arrays", `{"resources":["arn:x","arn:y"]}`, `{"source":"s","resources":["arn:z"]}`, false},
	{"§2.1 arrays", `{"resources":[null]}`, `{"source":"s","resources":[]}`, false},
	{"§2.1 arrays", `{"detail":{"items":{"name":["b"]}}}`, d(`"items":[{"name":"a"},{"name":"b"}]`), true},
	{"§2.1 arrays", `{"detail":{"tags":[{"anything-but":"a"}]}}`, d(`"tags":["a","b"]`), true},
	// §2.1 null and empty values
	{"§2.1 null", `{"detail":{"responseElements":[null]}}`, d(`"responseElements":null`), true},
	{"§2.1 null", `{"detail":{"responseElements":[null]}}`, d(`"responseElements":"null"`), false},
	{"§2.1 empty", `{"detail":{"eventVersion":[""]}}`, d(`"eventVersion":""`), true},
	{"§2.1 empty", `{"detail":{"eventVersion":[""]}}`, d(`"eventVersion":"1"`), false},
	// §2.1 types
	{"§2.1 numbers", `{"detail":{"number":[300]}}`, d(`"number":300.0`), true},
	{"§2.1 numbers", `{"detail":{"number":[300]}}`, d(`"number":"300"`), false},
	{"§2.1 booleans", `{"detail":{"flag":[false]}}`, d(`"flag":true`), false},
	{"§2.1 booleans", `{"detail":{"flag":[true]}}`, d(`"flag":true`), true},
	// §2.1 dot-joined paths
	{"§2.1 paths", `{"detail":{"state":{"status":["running"]}}}`, d(`"state.status":"running"`), true},
	{"§2.1 paths", `{"detail.state":["running"]}`, d(`"state":"running"`), true},
	{"§2.1 detail string", `{"detail":{"my-key":["v"]}}`, envelope(`"{\"my-key\":\"v\"}"`), false},
	{"§2.1 repeated key", `{"source":["aws.s3"],"source":["aws.ec2"]}`, d(`"state":"running"`), true},
	// §2.2 prefix
	{"§2.2 prefix", `{"time":[{"prefix":"2017-10-02"}]}`, d(`"state":"running"`), true},
	{"§2.2 prefix", `{"time":[{"prefix":"2017-10-03"}]}`, d(`"state":"running"`), false},
	{"§2.2 prefix", `{"source":[{"prefix":""}]}`, d(`"state":"running"`), true},
	{"§2.2 prefix", `{"detail":{"n":[{"prefix":"1"}]}}`, d(`"n":12`), false},
	{"§2.2 prefix", `{"detail":{"service":[{"prefix":{"equals-ignore-case":"EventB"}}]}}`, d(`"service":"EvEnTbridge"`), true},
	// §2.2 suffix
	{"§2.2 suffix", `{"detail":{"FileName":[{"suffix":".png"}]}}`, d(`"FileName":"image.png"`), true},
	{"§2.2 suffix", `{"detail":{"FileName":[{"suffix":".PNG"}]}}`, d(`"FileName":"image.png"`), false},
	{"§2.2 suffix", `{"detail":{"FileName":[{"suffix":{"equals-ignore-case":".PNG"}}]}}`, d(`"FileName":"image.png"`), true},
	// §2.2 equals-ignore-case
	{"§2.2 equals-ignore-case", `{"detail-type":[{"equals-ignore-case":"ec2 instance state-change notification"}]}`, d(`"state":"running"`), true},
	{"§2.2 equals-ignore-case", `{"detail":{"s":[{"equals-ignore-case":""}]}}`, d(`"s":""`), true},
	{"§2.2 equals-ignore-case", `{"detail":{"s":[{"equals-ignore-case":""}]}}`, d(`"s":"x"`), false},
	// §2.2 wildcard
	{"§2.2 wildcard", `{"detail":{"FileName":[{"wildcard":"/Users/*/doc.txt"}]}}`, d(`"FileName":"/Users/ls_user/dir/dir/dir/dir/dir/doc.txt"`), true},
	{"§2.2 wildcard", `{"detail":{"FileName":[{"wildcard":"/Users/*/doc.txt"}]}}`, d(`"FileName":"/Users/ls_user/dir/notmatchingdoc.txt"`), false},
	{"§2.2 wildcard", `{"detail":{"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}}`, d(`"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/default"`), true},
	{"§2.2 wildcard", `{"detail":{"EventBusArn":[{"wildcard":""}]}}`, d(`"EventBusArn":"arn:aws:events:us-east-1:1:event-bus/b"`), false},
	{"§2.2 wildcard", `{"detail":{"s":[{"wildcard":"a\\*b"}]}}`, d(`"s":"a*b"`), true},
	{"§2.2 wildcard", `{"detail":{"s":[{"wildcard":"a\\*b"}]}}`, d(`"s":"axb"`), false},
	// §2.2 anything-but
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":"initializing"}]}}`, d(`"state":"pending"`), true},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":"initializing"}]}}`, d(`"state":"initializing"`), false},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":"initializing"}]}}`, d(`"state":null`), true},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":"initializing"}]}}`, d(`"other":1`), false},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}`, d(`"state":"stopped"`), false},
	{"§2.2 anything-but", `{"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}`, d(`"x-limit":999`), true},
	{"§2.2 anything-but", `{"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}`, d(`"x-limit":100`), false},
	{"§2.2 anything-but", `{"detail":{"x-limit":[{"anything-but":123}]}}`, d(`"x-limit":123.0`), false},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}`, d(`"state":"post-init"`), true},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}`, d(`"state":"init-prefix"`), false},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}`, d(`"state":12`), true},
	{"§2.2 anything-but", `{"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}`, d(`"FileName":"file.txt.bak"`), true},
	{"§2.2 anything-but", `{"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}`, d(`"FileName":"file.txt"`), false},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}}`, d(`"state":"INITIALIZING"`), false},
	{"§2.2 anything-but", `{"detail":{"state":[{"anything-but":{"equals-ignore-case":["stopped","overloaded"]}}]}}`, d(`"state":"Running"`), true},
	{"§2.2 anything-but", `{"detail":{"FilePath":[{"anything-but":{"wildcard":"*/init/*"}}]}}`, d(`"FilePath":"dir/init/file"`), false},
	{"§2.2 anything-but", `{"detail":{"FilePath":[{"anything-but":{"wildcard":"*/init/*"}}]}}`, d(`"FilePath":"dir/lib/file"`), true},
	// §2.2 numeric
	{"§2.2 numeric", `{"detail":{"number":[{"numeric":[">",100]}]}}`, d(`"number":101.0`), true},
	{"§2.2 numeric", `{"detail":{"number":[{"numeric":[">",100]}]}}`, d(`"number":"300"`), false},
	{"§2.2 numeric", `{"detail":{"number":[{"numeric":[">",100]}]}}`, d(`"number":null`), false},
	{"§2.2 numeric", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, d(`"c-count":3`), true},
	{"§2.2 numeric", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, d(`"c-count":5`), true},
	{"§2.2 numeric", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, d(`"c-count":0`), false},
	{"§2.2 numeric", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, d(`"c-count":42`), false},
	{"§2.2 numeric", `{"detail":{"d-count":[{"numeric":["<",10]}]}}`, d(`"d-count":10`), false},
	{"§2.2 numeric", `{"detail":{"x-limit":[{"numeric":["=",3.018e2]}]}}`, d(`"x-limit":301.8`), true},
	{"§2.2 numeric", `{"detail":{"x":[{"numeric":[">=",1.5,"<",2]}]}}`, d(`"x":1.5`), true},
	// §2.2 cidr
	{"§2.2 cidr", `{"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}`, d(`"sourceIPAddress":"10.0.0.255"`), true},
	{"§2.2 cidr", `{"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}`, d(`"sourceIPAddress":"10.0.1.0"`), false},
	{"§2.2 cidr", `{"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}`, d(`"sourceIPAddress":"10.0.0.256"`), false},
	{"§2.2 cidr", `{"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}`, d(`"sourceIPAddress":123`), false},
	{"§2.2 cidr", `{"detail":{"sourceIPAddress":[{"cidr":"2001:db8:1234:1a00::/64"}]}}`, d(`"sourceIPAddress":"2001:0db8:1234:1a00:0:0:0:0"`), true},
	{"§2.2 cidr", `{"detail":{"sourceIPAddress":[{"cidr":"2001:db8:1234:1a00::/64"}]}}`, d(`"sourceIPAddress":"2001:db8:1234:1a01::1"`), false},
	// §2.2 exists
	{"§2.2 exists", `{"detail":{"state":[{"exists":true}]}}`, d(`"state":"running"`), true},
	{"§2.2 exists", `{"detail":{"state":[{"exists":true}]}}`, d(`"c-count":{"c1":100}`), false},
	{"§2.2 exists", `{"detail":{"state":[{"exists":false}]}}`, d(`"c-count":{"c1":100}`), true},
	{"§2.2 exists", `{"detail":{"state":[{"exists":false}]}}`, d(`"state":"running"`), false},
	{"§2.2 exists", `{"detail":{"c-count":[{"exists":false}]}}`, d(`"c-count":{"c1":100}`), true},
	{"§2.2 exists", `{"resources":[{"exists":true}]}`, `{"source":"s","resources":[]}`, false},
	{"§2.2 exists", `{"dynamodb":{"NewImage":{"homemade":{"S":[{"anything-but":["roses"]},{"exists":false}]}}}}`, `{"dynamodb":{"NewImage":{"homemade":{"N":"1"}}}}`, true},
	{"§2.2 exists", `{"dynamodb":{"NewImage":{"homemade":{"S":[{"anything-but":["roses"]},{"exists":false}]}}}}`, `{"dynamodb":{"NewImage":{"other":{"S":"x"}}}}`, true},
	{"§2.2 exists", `{"dynamodb":{"NewImage":{"homemade":{"S":[{"anything-but":["roses"]},{"exists":false}]}}}}`, `{"dynamodb":{"NewImage":{"homemade":{"S":"roses"}}}}`, false},
	// §2.2 $or
	{"§2.2 $or", orPattern, d(`"c-count":0,"d-count":10,"x-limit":901.8`), false},
	{"§2.2 $or", orPattern, d(`"c-count":0,"d-count":0,"x-limit":901.8`), true},
	{"§2.2 $or", `{"$or":[{"source":["aws.s3"]},{"detail-type":[{"prefix":"EC2"}]}]}`, d(`"state":"running"`), true},
	{"§2.2 $or", `{"source":["aws.s3"],"$or":[{"source":["aws.ec2"]},{"region":["us-west-1"]}]}`, d(`"state":"running"`), false},
	// §2.2 the guide's combined example
	{"§2.2 combined", combined, d(`"state":"pending","c-count":5,"d-count":7,"x-limit":301.8`), true},
	{"§2.2 combined", combined, d(`"state":"pending","c-count":5,"d-count":7,"x-limit":200`), false},
}

const orPattern = `{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}`

const combined = `{"time":[{"prefix":"2017-10-02"}],"detail":{"state":[{"anything-but":"initializing"}],` +
	`"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"anything-but":[100,200,300]}]}}`

func TestMatch(t *testing.T) {
	for i, c := range matchCases {
		t.Run(fmt.Sprintf("%02d %s", i, c.cite), func(t *testing.T) {
			got, err := Match(c.pattern, []byte(c.event))
			if err != nil {
				t.Fatalf("Match(%s): %v", c.pattern, err)
			}
			if got != c.want {
				t.Errorf("pattern %s\nevent   %s\nmatch = %v, want %v (docs/eventbridge.md %s)", c.pattern, c.event, got, c.want, c.cite)
			}
		})
	}
}

func TestParseEventRefusesNonObjects(t *testing.T) {
	for _, doc := range []string{`[]`, `"x"`, `{`, `{} {}`} {
		if _, err := ParseEvent([]byte(doc)); err == nil {
			t.Errorf("ParseEvent(%s): no error", doc)
		}
	}
}

func TestFromValueWithFloats(t *testing.T) {
	p, err := Parse(`{"n":[300],"s":[{"numeric":[">",1]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	e, err := FromValue(map[string]any{"n": 300.0, "s": 2.5})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Matches(e) {
		t.Error("no match for float64 numbers")
	}
}
