package iotemu

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// connectOnly lets a certificate connect as the thing it is attached to,
// and nothing more.
const connectOnly = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"}]}`

// docs/iot-core.md §8.1, §5.2: thing groups through the aws CLI, and a
// policy attached to a group's ARN.
func TestAWSCLIThingGroups(t *testing.T) {
	s, _ := startService(t)
	c := newCLI(t, s)
	root := c.must("iot", "create-thing-group", "--thing-group-name", "Plant", "--thing-group-properties",
		`{"thingGroupDescription":"all","attributePayload":{"attributes":{"site":"berlin"}}}`)
	require.Equal(t, "arn:aws:iot:us-east-1:123456789012:thinggroup/Plant", root["thingGroupArn"])
	c.must("iot", "create-thing-group", "--thing-group-name", "Line1", "--parent-group-name", "Plant")
	c.fails("ResourceAlreadyExistsException", "iot", "create-thing-group", "--thing-group-name", "Line1")
	d := c.must("iot", "describe-thing-group", "--thing-group-name", "Line1")
	meta := d["thingGroupMetadata"].(map[string]any)
	require.Equal(t, "Plant", meta["parentGroupName"])
	require.Equal(t, "Plant", meta["rootToParentThingGroups"].([]any)[0].(map[string]any)["groupName"])
	require.Len(t, c.must("iot", "list-thing-groups", "--parent-group", "Plant")["thingGroups"], 1)

	c.must("iot", "create-thing", "--thing-name", "dev")
	c.must("iot", "add-thing-to-thing-group", "--thing-group-name", "Line1", "--thing-name", "dev")
	require.Equal(t, []any{"dev"}, c.must("iot", "list-things-in-thing-group", "--thing-group-name", "Plant", "--recursive")["things"])
	require.Empty(t, c.must("iot", "list-things-in-thing-group", "--thing-group-name", "Plant")["things"])
	groups := c.must("iot", "list-thing-groups-for-thing", "--thing-name", "dev")["thingGroups"].([]any)
	require.Equal(t, "Line1", groups[0].(map[string]any)["groupName"])

	c.must("iot", "create-policy", "--policy-name", "P", "--policy-document", c.file("p.json", topicPolicy("a")))
	c.must("iot", "attach-policy", "--policy-name", "P", "--target", root["thingGroupArn"].(string))
	attached := c.must("iot", "list-attached-policies", "--target", root["thingGroupArn"].(string))["policies"].([]any)
	require.Equal(t, "P", attached[0].(map[string]any)["policyName"])
	c.fails("DeleteConflictException", "iot", "delete-policy", "--policy-name", "P")
	c.fails("ResourceNotFoundException", "iot", "attach-policy", "--policy-name", "P", "--target",
		"arn:aws:iot:us-east-1:123456789012:thinggroup/Nope")

	c.fails("InvalidRequestException", "iot", "delete-thing-group", "--thing-group-name", "Plant")
	c.fails("VersionConflictException", "iot", "delete-thing-group", "--thing-group-name", "Line1", "--expected-version", "7")
	c.must("iot", "remove-thing-from-thing-group", "--thing-group-name", "Line1", "--thing-name", "dev")
	c.must("iot", "delete-thing-group", "--thing-group-name", "Line1")
	c.must("iot", "delete-thing-group", "--thing-group-name", "Line1")
	c.fails("ResourceNotFoundException", "iot", "describe-thing-group", "--thing-group-name", "Line1")
}

// docs/iot-core.md §8.1: a policy on a group, or on an ancestor of the
// group, applies to its things when the client id is the thing's name and
// the certificate is attached to it; otherwise it does not.
func TestSpecThingGroupPolicyApplies(t *testing.T) {
	s, _ := startService(t)
	tlsCfg := setupThing(t, s, "dev", connectOnly)
	require.NoError(t, s.CreatePolicy("Group", topicPolicy("plant/cmd")))
	_, err := s.CreateThingGroup("Plant", ThingGroupSpec{})
	require.NoError(t, err)
	_, err = s.CreateThingGroup("Line1", ThingGroupSpec{Parent: "Plant"})
	require.NoError(t, err)
	require.NoError(t, s.AttachPolicy("Group", "arn:aws:iot:us-east-1:123456789012:thinggroup/Plant"))

	mc := mustDial(t, s, tlsCfg, "dev")
	require.Equal(t, byte(0x87), subscribe(t, mc, "plant/cmd"), "not in the group yet")
	require.NoError(t, s.AddThingToThingGroup("Line1", "", "dev", ""))
	require.Equal(t, byte(1), subscribe(t, mc, "plant/cmd"), "the parent group's policy applies")
	require.NoError(t, s.RemoveThingFromThingGroup("", "arn:aws:iot:us-east-1:123456789012:thinggroup/Line1", "dev", ""))
	require.Equal(t, byte(0x87), subscribe(t, mc, "plant/cmd"))

	// A client id that is not the thing's name gets no group policies.
	require.NoError(t, s.AddThingToThingGroup("Plant", "", "dev", ""))
	require.NoError(t, s.CreatePolicy("Any", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]}`))
	certs, _, err := s.ListCertificates("", 0, true)
	require.NoError(t, err)
	require.NoError(t, s.AttachPolicy("Any", certs[0].ARN))
	other := mustDial(t, s, tlsCfg, "not-dev")
	require.Equal(t, byte(0x87), subscribe(t, other, "plant/cmd"))
}

// docs/iot-core.md §8.1: the bounds — groups in the registry, groups per
// thing, hierarchy depth.
func TestThingGroupBounds(t *testing.T) {
	s, _ := startService(t)
	require.NoError(t, s.CreateThing("dev", nil))
	for i := range maxThingGroups {
		_, err := s.CreateThingGroup(fmt.Sprint("g", i), ThingGroupSpec{})
		require.NoError(t, err)
	}
	_, err := s.CreateThingGroup("one-more", ThingGroupSpec{})
	require.ErrorIs(t, err, ErrLimitExceeded)
	for i := range maxGroupsPerThing {
		require.NoError(t, s.AddThingToThingGroup(fmt.Sprint("g", i), "", "dev", ""))
	}
	require.ErrorIs(t, s.AddThingToThingGroup("g99", "", "dev", ""), ErrInvalidRequest)

	s2, _ := startService(t)
	parent := ""
	for i := range maxThingGroupDepth {
		_, err := s2.CreateThingGroup(fmt.Sprint("d", i), ThingGroupSpec{Parent: parent})
		require.NoError(t, err)
		parent = fmt.Sprint("d", i)
	}
	_, err = s2.CreateThingGroup("too-deep", ThingGroupSpec{Parent: parent})
	require.ErrorIs(t, err, ErrInvalidRequest)
}
