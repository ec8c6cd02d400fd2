package iotemu

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/iot/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/awscli"
)

// denyLambdaPolicy explicitly denies publishing to any tenant's lambda
// topic.
const denyLambdaPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Deny","Action":"iot:Publish","Resource":"arn:aws:iot:*:*:topic/*/to/lambda"}]}`

// Reference §1.5, §1.6, §5.2: TestAuthorization through aws-sdk-go-v2
// answers ALLOWED / EXPLICIT_DENY / IMPLICIT_DENY with the policies
// involved, resolving thing variables from the client id, and honours
// policyNamesToAdd / policyNamesToSkip.
func TestSDKTestAuthorization(t *testing.T) {
	s, _ := startService(t)
	ctl, _, url := sdkClients(t, s)
	ctx := context.Background()
	setupTenant2(t, s)
	require.NoError(t, s.CreatePolicy("DenyLambda", denyLambdaPolicy))
	certs, _, err := s.ListCertificates("", 0, true)
	require.NoError(t, err)
	require.Len(t, certs, 1)
	certArn := certs[0].ARN

	authz := func(clientID string, add, skip []string, infos ...types.AuthInfo) []types.AuthResult {
		t.Helper()
		in := &iot.TestAuthorizationInput{Principal: aws.String(certArn), AuthInfos: infos, PolicyNamesToAdd: add, PolicyNamesToSkip: skip}
		if clientID != "" {
			in.ClientId = aws.String(clientID)
		}
		out, err := ctl.TestAuthorization(ctx, in)
		require.NoError(t, err)
		require.Len(t, out.AuthResults, len(infos))
		return out.AuthResults
	}
	info := func(action types.ActionType, resources ...string) types.AuthInfo {
		return types.AuthInfo{ActionType: action, Resources: resources}
	}
	policyNames := func(ps []types.Policy) []string {
		var out []string
		for _, p := range ps {
			out = append(out, aws.ToString(p.PolicyName))
		}
		return out
	}

	res := authz("tenant2", nil, nil,
		info(types.ActionTypeConnect, "arn:aws:iot:us-east-1:123456789012:client/tenant2"),
		info(types.ActionTypePublish, "arn:aws:iot:us-east-1:123456789012:topic/tenant2/to/lambda"),
		info(types.ActionTypePublish, "topic/tenant1/to/lambda"),
		info(types.ActionTypeSubscribe, "topicfilter/tenant1/#"),
		info(types.ActionTypeReceive, "topic/tenant2/to/worker", "topic/tenant1/to/worker"))
	require.Equal(t, types.AuthDecisionAllowed, res[0].AuthDecision)
	require.Equal(t, []string{"Tenant"}, policyNames(res[0].Allowed.Policies))
	require.Equal(t, "arn:aws:iot:us-east-1:123456789012:policy/Tenant", aws.ToString(res[0].Allowed.Policies[0].PolicyArn))
	require.Equal(t, types.AuthDecisionAllowed, res[1].AuthDecision)
	require.Equal(t, types.AuthDecisionImplicitDeny, res[2].AuthDecision)
	require.Equal(t, []string{"Tenant"}, policyNames(res[2].Denied.ImplicitDeny.Policies))
	require.Equal(t, types.AuthDecisionAllowed, res[3].AuthDecision, "topicfilter/* allows any filter (§1.4)")
	require.Equal(t, types.AuthDecisionImplicitDeny, res[4].AuthDecision, "one of the resources is not allowed")
	require.Equal(t, types.ActionTypeReceive, res[4].AuthInfo.ActionType)

	// Without a client id the thing variables do not resolve (§1.6).
	res = authz("", nil, nil, info(types.ActionTypeConnect, "client/tenant2"))
	require.Equal(t, types.AuthDecisionImplicitDeny, res[0].AuthDecision)

	// An explicit Deny added for the test beats the Allow (§1.5).
	res = authz("tenant2", []string{"DenyLambda"}, nil, info(types.ActionTypePublish, "topic/tenant2/to/lambda"))
	require.Equal(t, types.AuthDecisionExplicitDeny, res[0].AuthDecision)
	require.Equal(t, []string{"DenyLambda"}, policyNames(res[0].Denied.ExplicitDeny.Policies))
	res = authz("tenant2", nil, []string{"Tenant"}, info(types.ActionTypePublish, "topic/tenant2/to/lambda"))
	require.Equal(t, types.AuthDecisionImplicitDeny, res[0].AuthDecision)

	_, err = ctl.TestAuthorization(ctx, &iot.TestAuthorizationInput{Principal: aws.String("arn:aws:iot:us-east-1:123456789012:cert/none"),
		AuthInfos: []types.AuthInfo{info(types.ActionTypeConnect, "client/x")}})
	require.Equal(t, "ResourceNotFoundException", apiCode(err))
	_, err = ctl.TestAuthorization(ctx, &iot.TestAuthorizationInput{Principal: aws.String(certArn), PolicyNamesToAdd: []string{"Nope"},
		AuthInfos: []types.AuthInfo{info(types.ActionTypeConnect, "client/x")}})
	require.Equal(t, "ResourceNotFoundException", apiCode(err))

	if testing.Short() {
		return
	}
	cli := &cliRunner{t: t, cli: awscli.Path(t), url: url, dir: t.TempDir()}
	out := cli.must("iot", "test-authorization", "--principal", certArn, "--client-id", "tenant2",
		"--auth-infos", "actionType=PUBLISH,resources=arn:aws:iot:us-east-1:123456789012:topic/tenant2/to/lambda",
		"actionType=PUBLISH,resources=arn:aws:iot:us-east-1:123456789012:topic/tenant1/to/lambda")
	results := out["authResults"].([]any)
	require.Equal(t, "ALLOWED", results[0].(map[string]any)["authDecision"])
	require.Equal(t, "IMPLICIT_DENY", results[1].(map[string]any)["authDecision"])
}
