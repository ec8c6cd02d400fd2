// Package stack finds the resources of a deployed stepwire stack: the
// state machine, the topics, the functions and the account's IoT data
// endpoint. It reads CloudFormation's DescribeStacks (outputs and
// parameters) and ListStackResources, and IoT's DescribeEndpoint
// (iot:Data-ATS), through an aws.Config from the default credential chain,
// so the same code finds a stack on AWS and the one the emulator loaded
// from the same template (docs/cloudformation.md §4).
package stack

import (
	"context"
	"fmt"
	"net"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/iot"
)

// Resources are a stack's resources as the tests and the CLI need them.
type Resources struct {
	// StackName and StackID name the stack; Region is where it runs.
	StackName, StackID, Region string
	// Outputs and Parameters are the stack's, by key.
	Outputs, Parameters map[string]string
	// Physical maps each resource's logical id to its physical id: a
	// function's name, a state machine's ARN, a rule's name.
	Physical map[string]string
	// StateMachineArn is the output StateMachineArn.
	StateMachineArn string
	// WorkerTopic and ResultsTopic are the parameters WorkerTopic and
	// LambdaTopic.
	WorkerTopic, ResultsTopic string
	// IoTDataEndpoint is the account's iot:Data-ATS endpoint, host or
	// host:port.
	IoTDataEndpoint string
}

// Discover reads the stack named name with cfg's credentials and region.
func Discover(ctx context.Context, cfg aws.Config, name string) (*Resources, error) {
	cfn := cloudformation.NewFromConfig(cfg)
	out, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("discover stack %s: %w", name, err)
	}
	if len(out.Stacks) != 1 {
		return nil, fmt.Errorf("discover stack %s: DescribeStacks returned %d stacks", name, len(out.Stacks))
	}
	st := out.Stacks[0]
	r := &Resources{StackName: aws.ToString(st.StackName), StackID: aws.ToString(st.StackId), Region: cfg.Region,
		Outputs: map[string]string{}, Parameters: map[string]string{}, Physical: map[string]string{}}
	for _, o := range st.Outputs {
		r.Outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	for _, p := range st.Parameters {
		r.Parameters[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	r.StateMachineArn = r.Outputs["StateMachineArn"]
	r.WorkerTopic, r.ResultsTopic = r.Parameters["WorkerTopic"], r.Parameters["LambdaTopic"]
	if r.StateMachineArn == "" {
		return nil, fmt.Errorf("discover stack %s: no output StateMachineArn", name)
	}
	if err := r.listResources(ctx, cfn); err != nil {
		return nil, fmt.Errorf("discover stack %s: %w", name, err)
	}
	ep, err := iot.NewFromConfig(cfg).DescribeEndpoint(ctx, &iot.DescribeEndpointInput{EndpointType: aws.String("iot:Data-ATS")})
	if err != nil {
		return nil, fmt.Errorf("discover stack %s: IoT data endpoint: %w", name, err)
	}
	r.IoTDataEndpoint = aws.ToString(ep.EndpointAddress)
	return r, nil
}

func (r *Resources) listResources(ctx context.Context, cfn *cloudformation.Client) error {
	p := cloudformation.NewListStackResourcesPaginator(cfn, &cloudformation.ListStackResourcesInput{StackName: aws.String(r.StackName)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list resources: %w", err)
		}
		for _, s := range page.StackResourceSummaries {
			r.Physical[aws.ToString(s.LogicalResourceId)] = aws.ToString(s.PhysicalResourceId)
		}
	}
	return nil
}

// MQTTAddress is the broker's host:port: the data endpoint, on IoT Core's
// MQTT port 8883 when it names none.
func (r *Resources) MQTTAddress() string {
	if _, _, err := net.SplitHostPort(r.IoTDataEndpoint); err == nil {
		return r.IoTDataEndpoint
	}
	return net.JoinHostPort(r.IoTDataEndpoint, "8883")
}
