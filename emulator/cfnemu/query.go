package cfnemu

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// Namespace is CloudFormation's XML namespace (docs/cloudformation.md §1).
const Namespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// maxForm bounds a request's form.
const maxForm = 64 << 10

// Handler serves CloudFormation's awsQuery reads of svc.
func Handler(svc *Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			writeError(w, validation("The request is not a valid form: "+err.Error()))
			return
		}
		var out any
		var aerr *awsapi.Error
		md := metadata{RequestID: w.Header().Get("X-Amzn-RequestId")}
		switch action := r.PostForm.Get("Action"); action {
		case "DescribeStacks":
			out, aerr = describeStacks(svc, r.PostForm.Get("StackName"), md)
		case "ListStackResources":
			out, aerr = listStackResources(svc, r.PostForm.Get("StackName"), md)
		default:
			aerr = &awsapi.Error{Status: http.StatusBadRequest, Code: "InvalidAction",
				Message: fmt.Sprintf("The action %s is not valid for this web service.", action)}
		}
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(xml.Header))
		_ = xml.NewEncoder(w).Encode(out)
	})
}

func writeError(w http.ResponseWriter, e *awsapi.Error) { awsapi.WriteQueryError(w, Namespace, e) }

func validation(msg string) *awsapi.Error {
	return &awsapi.Error{Status: http.StatusBadRequest, Code: "ValidationError", Message: msg}
}

// notFound is CloudFormation's answer for a stack it does not have.
func notFound(name string) *awsapi.Error {
	return validation(fmt.Sprintf("Stack with id %s does not exist", name))
}

type metadata struct {
	RequestID string `xml:"RequestId"`
}

type member[T any] struct {
	Members []T `xml:"member"`
}

type describeStacksResponse struct {
	XMLName xml.Name `xml:"DescribeStacksResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Result  struct {
		Stacks member[stackXML]
	} `xml:"DescribeStacksResult"`
	Metadata metadata `xml:"ResponseMetadata"`
}

type stackXML struct {
	StackName        string
	StackId          string
	Description      string `xml:",omitempty"`
	CreationTime     string
	StackStatus      string
	DisableRollback  bool
	Parameters       member[parameterXML]
	Outputs          member[outputXML]
	DriftInformation struct{ StackDriftStatus string }
}

type parameterXML struct{ ParameterKey, ParameterValue string }

type outputXML struct {
	OutputKey, OutputValue string
	Description            string `xml:",omitempty"`
	ExportName             string `xml:",omitempty"`
}

func describeStacks(svc *Service, name string, md metadata) (any, *awsapi.Error) {
	stacks := svc.All()
	if name != "" {
		st, ok := svc.Find(name)
		if !ok {
			return nil, notFound(name)
		}
		stacks = []Stack{st}
	}
	out := describeStacksResponse{Xmlns: Namespace, Metadata: md}
	for _, st := range stacks {
		out.Result.Stacks.Members = append(out.Result.Stacks.Members, toXML(st))
	}
	return out, nil
}

func toXML(st Stack) stackXML {
	x := stackXML{StackName: st.Name, StackId: st.ID, Description: st.Description, CreationTime: timestamp(st.CreationTime),
		StackStatus: "CREATE_COMPLETE"}
	x.DriftInformation.StackDriftStatus = "NOT_CHECKED"
	keys := make([]string, 0, len(st.Parameters))
	for k := range st.Parameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x.Parameters.Members = append(x.Parameters.Members, parameterXML{k, st.Parameters[k]})
	}
	for _, o := range st.Outputs {
		x.Outputs.Members = append(x.Outputs.Members, outputXML{o.Key, o.Value, o.Description, o.ExportName})
	}
	return x
}

type listStackResourcesResponse struct {
	XMLName xml.Name `xml:"ListStackResourcesResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Result  struct {
		StackResourceSummaries member[resourceXML]
	} `xml:"ListStackResourcesResult"`
	Metadata metadata `xml:"ResponseMetadata"`
}

type resourceXML struct {
	LogicalResourceId, PhysicalResourceId, ResourceType string
	LastUpdatedTimestamp, ResourceStatus                string
	DriftInformation                                    struct{ StackResourceDriftStatus string }
}

func listStackResources(svc *Service, name string, md metadata) (any, *awsapi.Error) {
	if name == "" {
		return nil, validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
	}
	st, ok := svc.Find(name)
	if !ok {
		return nil, notFound(name)
	}
	out := listStackResourcesResponse{Xmlns: Namespace, Metadata: md}
	for _, r := range st.Resources {
		x := resourceXML{LogicalResourceId: r.LogicalID, PhysicalResourceId: r.PhysicalID, ResourceType: r.Type,
			LastUpdatedTimestamp: timestamp(st.CreationTime), ResourceStatus: "CREATE_COMPLETE"}
		x.DriftInformation.StackResourceDriftStatus = "NOT_CHECKED"
		out.Result.StackResourceSummaries.Members = append(out.Result.StackResourceSummaries.Members, x)
	}
	return out, nil
}

// timestamp is an awsQuery timestamp: ISO 8601 in UTC.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
