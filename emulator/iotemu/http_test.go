package iotemu

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/iot/types"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

func sdkClients(t *testing.T, s *Service) (*iot.Client, *iotdataplane.Client, string) {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")}
	return iot.NewFromConfig(cfg, func(o *iot.Options) { o.BaseEndpoint = aws.String(srv.URL) }),
		iotdataplane.NewFromConfig(cfg, func(o *iotdataplane.Options) { o.BaseEndpoint = aws.String(srv.URL) }),
		srv.URL
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// The control-plane calls a setup script makes, through aws-sdk-go-v2,
// then an MQTT connection with the issued certificate and a data-plane
// Publish it receives.
func TestSDKSetupAndPublish(t *testing.T) {
	s, _ := startService(t)
	ctl, data, _ := sdkClients(t, s)
	ctx := context.Background()

	_, err := ctl.CreatePolicy(ctx, &iot.CreatePolicyInput{PolicyName: aws.String("OnPremContainer"), PolicyDocument: aws.String(samplePolicy)})
	require.NoError(t, err)
	got, err := ctl.GetPolicy(ctx, &iot.GetPolicyInput{PolicyName: aws.String("OnPremContainer")})
	require.NoError(t, err)
	require.Equal(t, samplePolicy, aws.ToString(got.PolicyDocument))
	_, err = ctl.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String("mqtt-container-client"),
		AttributePayload: &types.AttributePayload{Attributes: map[string]string{"site": "berlin"}}})
	require.NoError(t, err)
	th, err := ctl.DescribeThing(ctx, &iot.DescribeThingInput{ThingName: aws.String("mqtt-container-client")})
	require.NoError(t, err)
	require.Equal(t, "berlin", th.Attributes["site"])

	kc, err := ctl.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	require.NoError(t, err)
	require.Len(t, aws.ToString(kc.CertificateId), 64)
	_, err = ctl.AttachPolicy(ctx, &iot.AttachPolicyInput{PolicyName: aws.String("OnPremContainer"), Target: kc.CertificateArn})
	require.NoError(t, err)
	_, err = ctl.AttachThingPrincipal(ctx, &iot.AttachThingPrincipalInput{ThingName: aws.String("mqtt-container-client"), Principal: kc.CertificateArn})
	require.NoError(t, err)
	desc, err := ctl.DescribeCertificate(ctx, &iot.DescribeCertificateInput{CertificateId: kc.CertificateId})
	require.NoError(t, err)
	require.Equal(t, types.CertificateStatusActive, desc.CertificateDescription.Status)
	ep, err := ctl.DescribeEndpoint(ctx, &iot.DescribeEndpointInput{EndpointType: aws.String("iot:Data-ATS")})
	require.NoError(t, err)
	require.Equal(t, s.MQTTAddr(), aws.ToString(ep.EndpointAddress))

	worker := mustDial(t, s, clientTLS(t, s, []byte(aws.ToString(kc.CertificatePem)), []byte(aws.ToString(kc.KeyPair.PrivateKey))), "mqtt-container-client")
	require.Equal(t, byte(1), subscribe(t, worker, "tenant1/to/worker"))
	_, err = data.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String("tenant1/to/worker"), Qos: 1, Payload: []byte(`{"TaskToken":"t"}`)})
	require.NoError(t, err)
	require.Equal(t, []byte(`{"TaskToken":"t"}`), receive(t, worker).Payload)

	_, err = ctl.CreateTopicRule(ctx, &iot.CreateTopicRuleInput{RuleName: aws.String("Complete"), TopicRulePayload: &types.TopicRulePayload{
		Sql: aws.String("SELECT * FROM 'tenant1/to/lambda'"), Actions: []types.Action{{Lambda: &types.LambdaAction{FunctionArn: aws.String("fn")}}}}})
	require.NoError(t, err)
	rule, err := ctl.GetTopicRule(ctx, &iot.GetTopicRuleInput{RuleName: aws.String("Complete")})
	require.NoError(t, err)
	require.Equal(t, "fn", aws.ToString(rule.Rule.Actions[0].Lambda.FunctionArn))

	_, err = ctl.UpdateCertificate(ctx, &iot.UpdateCertificateInput{CertificateId: kc.CertificateId, NewStatus: types.CertificateStatusInactive})
	require.NoError(t, err)
}

// AWS error codes for the failures a setup script meets (docs/iot-core.md §5.2).
func TestSDKErrors(t *testing.T) {
	s, _ := startService(t)
	ctl, data, url := sdkClients(t, s)
	ctx := context.Background()
	_, err := ctl.CreatePolicy(ctx, &iot.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Statement":"nope"}`)})
	require.Equal(t, "MalformedPolicyException", apiCode(err))
	_, err = ctl.AttachPolicy(ctx, &iot.AttachPolicyInput{PolicyName: aws.String("missing"), Target: aws.String("arn:aws:iot:us-east-1:123456789012:cert/x")})
	require.Equal(t, "ResourceNotFoundException", apiCode(err))
	_, err = ctl.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String("t")})
	require.NoError(t, err)
	_, err = ctl.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String("t")})
	require.Equal(t, "ResourceAlreadyExistsException", apiCode(err))
	_, err = ctl.CreateTopicRule(ctx, &iot.CreateTopicRuleInput{RuleName: aws.String("r"), TopicRulePayload: &types.TopicRulePayload{
		Sql: aws.String("SELECT FROM"), Actions: []types.Action{{Lambda: &types.LambdaAction{FunctionArn: aws.String("fn")}}}}})
	require.Equal(t, "SqlParseException", apiCode(err))
	_, err = ctl.DescribeEndpoint(ctx, &iot.DescribeEndpointInput{EndpointType: aws.String("bogus")})
	require.Equal(t, "InvalidRequestException", apiCode(err))
	_, err = data.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String("a/+"), Payload: []byte(`{}`)})
	require.Equal(t, "InvalidRequestException", apiCode(err))

	resp, err := http.Post(url+"/no/such/operation", "application/json", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Equal(t, "UnknownOperationException", resp.Header.Get("X-Amzn-ErrorType"), string(body))
}

// A broker listening on every interface, as in a container, answers
// DescribeEndpoint with the name its certificate covers (up --mqtt-host),
// the address its clients dial; one on a given address answers with it.
func TestDescribeEndpointNamesTheAdvertisedHost(t *testing.T) {
	s := startServiceWith(t, func(c *Config) { c.MQTTAddr, c.ServerNames = "0.0.0.0:0", []string{"stepwire"} })
	ctl, _, _ := sdkClients(t, s)
	ep, err := ctl.DescribeEndpoint(context.Background(), &iot.DescribeEndpointInput{EndpointType: aws.String("iot:Data-ATS")})
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(s.MQTTAddr())
	require.Equal(t, "stepwire:"+port, aws.ToString(ep.EndpointAddress))

	s = startServiceWith(t, func(c *Config) { c.ServerNames = []string{"stepwire"} })
	ctl, _, _ = sdkClients(t, s)
	ep, err = ctl.DescribeEndpoint(context.Background(), &iot.DescribeEndpointInput{EndpointType: aws.String("iot:Data-ATS")})
	require.NoError(t, err)
	require.Equal(t, s.MQTTAddr(), aws.ToString(ep.EndpointAddress))
}
