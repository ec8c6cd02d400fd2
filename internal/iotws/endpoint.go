package iotws

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
)

// DescribeEndpointAPI is the part of the IoT control-plane client
// DataEndpoint needs (*iot.Client has it).
type DescribeEndpointAPI interface {
	DescribeEndpoint(context.Context, *iot.DescribeEndpointInput, ...func(*iot.Options)) (*iot.DescribeEndpointOutput, error)
}

// DataEndpoint asks AWS IoT for the account's ATS data endpoint, as
// `aws iot describe-endpoint --endpoint-type iot:Data-ATS` does, and
// returns it as an https URL for Config.Endpoint.
//
// Against stepwire, do not call it: the WebSocket endpoint is the
// emulator's AWS endpoint itself (http://127.0.0.1:4566), whereas its
// DescribeEndpoint names the MQTT over TLS listener.
func DataEndpoint(ctx context.Context, c DescribeEndpointAPI) (string, error) {
	out, err := c.DescribeEndpoint(ctx, &iot.DescribeEndpointInput{EndpointType: aws.String("iot:Data-ATS")})
	if err != nil {
		return "", fmt.Errorf("iotws: describe endpoint: %w", err)
	}
	if aws.ToString(out.EndpointAddress) == "" {
		return "", errors.New("iotws: describe endpoint: no endpoint address")
	}
	return "https://" + aws.ToString(out.EndpointAddress), nil
}
