package sfnemu

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

func routing(pairs ...any) []types.RoutingConfigurationListItem {
	var out []types.RoutingConfigurationListItem
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, types.RoutingConfigurationListItem{
			StateMachineVersionArn: aws.String(pairs[i].(string)), Weight: int32(pairs[i+1].(int))})
	}
	return out
}

func route100(versionArn string) []types.RoutingConfigurationListItem {
	return routing(versionArn, 100)
}

func (h *harness) createAlias(name string, description *string, routes []types.RoutingConfigurationListItem) *sfn.CreateStateMachineAliasOutput {
	h.t.Helper()
	out, err := h.client.CreateStateMachineAlias(context.Background(), &sfn.CreateStateMachineAliasInput{
		Name: aws.String(name), Description: description, RoutingConfiguration: routes})
	require.NoError(h.t, err)
	return out
}

func (h *harness) aliasArns(arn string) []string {
	h.t.Helper()
	out, err := h.client.ListStateMachineAliases(context.Background(), &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(arn)})
	require.NoError(h.t, err)
	arns := make([]string, len(out.StateMachineAliases))
	for i, a := range out.StateMachineAliases {
		arns[i] = aws.ToString(a.StateMachineAliasArn)
	}
	return arns
}

// machineWithVersions creates a machine with versions 1..n, version i
// answering {"v":i}; the current revision answers {"v":0}.
func (h *harness) machineWithVersions(name string, n int) string {
	h.t.Helper()
	sm := h.createMachine(name, passResult(0))
	for i := 1; i <= n; i++ {
		require.Equal(h.t, sm+":"+strconv.Itoa(i), aws.ToString(h.update(sm, passResult(i), true).StateMachineVersionArn))
	}
	h.update(sm, passResult(0), false)
	return sm
}

// AWS (LocalStack snapshot test_sfn_api_aliasing, recorded 2025-03):
// create is idempotent for an identical request and a ConflictException
// otherwise; describe, update, list (also by version) and delete; a
// version an alias routes to cannot be deleted; missing aliases are
// ResourceNotFound except for delete.
func TestAliasLifecycle(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.machineWithVersions("Jobs", 2)
	prodArn := sm + ":prod"

	first := h.createAlias("prod", aws.String("live"), route100(sm+":1"))
	require.Equal(t, prodArn, aws.ToString(first.StateMachineAliasArn))
	h.clk.Advance(5e9)
	again := h.createAlias("prod", aws.String("live"), route100(sm+":1"))
	require.Equal(t, first.CreationDate.UnixMilli(), again.CreationDate.UnixMilli(), "an identical create is idempotent")
	for _, in := range []*sfn.CreateStateMachineAliasInput{
		{Name: aws.String("prod"), Description: aws.String("other"), RoutingConfiguration: route100(sm + ":1")},
		{Name: aws.String("prod"), Description: aws.String("live"), RoutingConfiguration: route100(sm + ":2")},
	} {
		_, err := h.client.CreateStateMachineAlias(ctx, in)
		requireAPIError(t, err, "ConflictException",
			"Failed to create alias because an alias with the same name and a different routing configuration already exists.")
	}

	up, err := h.client.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: aws.String(prodArn),
		RoutingConfiguration: routing(sm+":1", 50, sm+":2", 50)})
	require.NoError(t, err)
	require.Equal(t, h.clk.Now().UnixMilli(), up.UpdateDate.UnixMilli())
	got, err := h.client.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(prodArn)})
	require.NoError(t, err)
	require.Equal(t, "prod", aws.ToString(got.Name))
	require.Equal(t, "live", aws.ToString(got.Description), "an update keeps what it does not name")
	require.Equal(t, routing(sm+":1", 50, sm+":2", 50), got.RoutingConfiguration)
	require.Equal(t, first.CreationDate.UnixMilli(), got.CreationDate.UnixMilli())
	require.Equal(t, up.UpdateDate.UnixMilli(), got.UpdateDate.UnixMilli())

	h.createAlias("beta", nil, route100(sm+":2"))
	require.Equal(t, []string{prodArn, sm + ":beta"}, h.aliasArns(sm))
	require.Equal(t, []string{prodArn, sm + ":beta"}, h.aliasArns(sm+":2"))
	require.Equal(t, []string{prodArn}, h.aliasArns(sm+":1"))

	_, err = h.client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(sm + ":2")})
	requireAPIError(t, err, "ConflictException", "Version to be deleted must not be referenced by an alias. "+
		"Current list of aliases referencing this version: [prod, beta]")

	for range 2 {
		_, err = h.client.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: aws.String(prodArn)})
		require.NoError(t, err, "deleting a missing alias is not an error")
	}
	require.Equal(t, []string{sm + ":beta"}, h.aliasArns(sm))
	_, err = h.client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(sm + ":1")})
	require.NoError(t, err, "no alias routes to version 1 any more")

	_, err = h.client.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(prodArn)})
	requireAPIError(t, err, "ResourceNotFound", "Request references a resource that does not exist.")
	_, err = h.client.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: aws.String(prodArn),
		Description: aws.String("x")})
	requireAPIError(t, err, "ResourceNotFound", "Request references a resource that does not exist.")
	_, err = h.client.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("old"),
		RoutingConfiguration: route100(sm + ":1")})
	requireAPIError(t, err, "ResourceNotFound", "Request references a resource that does not exist.")
}

// AWS's validation of CreateStateMachineAlias (test_sfn_api_aliasing
// test_error_create_alias_invalid_router_configs, _invalid_name,
// _with_state_machine_arn).
// aliasNamePattern is the model's pattern for alias names, as AWS quotes
// it.
const aliasNamePattern = `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`

func TestAliasValidation(t *testing.T) {
	h := newHarness(t)
	sm := h.machineWithVersions("Jobs", 3)
	v1, v2, v3 := sm+":1", sm+":2", sm+":3"
	tests := []struct {
		name    string
		alias   string
		routes  []types.RoutingConfigurationListItem
		message string
	}{
		{"too many routes", "a", routing(v1, 50, v2, 30, v3, 20), "1 validation error detected: Value '[" +
			"RoutingConfigurationListItem(stateMachineVersionArn=" + v1 + ", weight=50), " +
			"RoutingConfigurationListItem(stateMachineVersionArn=" + v2 + ", weight=30), " +
			"RoutingConfigurationListItem(stateMachineVersionArn=" + v3 + ", weight=20)]' at 'routingConfiguration' " +
			"failed to satisfy constraint: Member must have length less than or equal to 2"},
		{"duplicate versions", "a", routing(v1, 50, v1, 50),
			"Routing configuration must contain distinct state machine version ARNs. Received: [" + v1 + ", " + v1 + "]"},
		{"machine arn", "a", routing(sm, 50, v2, 50),
			"Routing configuration must contain state machine version ARNs. Received: [" + sm + ", " + v2 + "]"},
		{"weight too large", "a", routing(v1, 101),
			"1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: " +
				"Member must have value less than or equal to 100"},
		{"weights under 100", "a", routing(v1, 70, v2, 29), "Sum of routing configuration weights must equal 100. Received: [70, 29]"},
		{"weights over 100", "a", routing(v1, 70, v2, 31), "Sum of routing configuration weights must equal 100. Received: [70, 31]"},
		{"numeric name", "123", route100(v1), "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: " +
			"Member must satisfy regular expression pattern: " + aliasNamePattern},
		{"name with a space", "INVALID ALIAS", route100(v1), "1 validation error detected: Value 'INVALID ALIAS' at 'name' " +
			"failed to satisfy constraint: Member must satisfy regular expression pattern: " + aliasNamePattern},
		{"long name", strings.Repeat("A", 81), route100(v1), "1 validation error detected: Value '" + strings.Repeat("A", 81) +
			"' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.client.CreateStateMachineAlias(context.Background(), &sfn.CreateStateMachineAliasInput{
				Name: aws.String(tt.alias), RoutingConfiguration: tt.routes})
			requireAPIError(t, err, "ValidationException", tt.message)
		})
	}
}

// AWS quota: 100 aliases per state machine (CreateStateMachineAlias API
// reference).
func TestAliasQuota(t *testing.T) {
	h := newHarness(t)
	sm := h.machineWithVersions("Jobs", 1)
	for i := range maxAliases {
		h.createAlias("a"+strconv.Itoa(i), nil, route100(sm+":1"))
	}
	_, err := h.client.CreateStateMachineAlias(context.Background(), &sfn.CreateStateMachineAliasInput{
		Name: aws.String("one-too-many"), RoutingConfiguration: route100(sm + ":1")})
	requireAPIError(t, err, "ServiceQuotaExceededException",
		"Failed to create alias: the state machine '"+sm+"' has reached the limit of 100 aliases.")
}

func TestParseMachineRef(t *testing.T) {
	const sm = "arn:aws:states:us-east-1:123456789012:stateMachine:Jobs"
	tests := []struct {
		arn     string
		want    machineRef
		invalid bool
	}{
		{arn: sm, want: machineRef{arn: sm, base: sm}},
		{arn: sm + ":12", want: machineRef{arn: sm + ":12", base: sm, version: 12}},
		{arn: sm + ":prod", want: machineRef{arn: sm + ":prod", base: sm, alias: "prod"}},
		{arn: sm + ":v1.2-x_y", want: machineRef{arn: sm + ":v1.2-x_y", base: sm, alias: "v1.2-x_y"}},
		{arn: sm + ":01", want: machineRef{arn: sm + ":01", base: sm + ":01"}},
		{arn: sm + ":0", want: machineRef{arn: sm + ":0", base: sm + ":0"}},
		{arn: sm + ":+1", want: machineRef{arn: sm + ":+1", base: sm + ":+1"}},
		{arn: sm + ":a:b", want: machineRef{arn: sm + ":a:b", base: sm + ":a:b"}},
		{arn: "invalid_arn", invalid: true},
		{arn: "arn:aws:states:us-east-1:123456789012:activity:A", invalid: true},
	}
	for _, tt := range tests {
		got, err := parseMachineRef(tt.arn)
		if tt.invalid {
			require.ErrorIs(t, err, ErrInvalidArn, tt.arn)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.want, got, tt.arn)
	}
}
