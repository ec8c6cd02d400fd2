package sfnapi

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Operations on state machine aliases.

// aliasNamePattern is the model's pattern for alias names
// (sfnemu.ValidAliasName).
const aliasNamePattern = `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`

func createStateMachineAlias(s *sfnemu.Service, ctx context.Context, r *createAliasInput) (any, error) {
	if err := checkCreateAlias(r); err != nil {
		return nil, err
	}
	out, err := s.CreateStateMachineAlias(ctx, sfnemu.CreateAliasInput{Name: *r.Name, Description: r.Description,
		Routes: toRoutes(r.RoutingConfiguration)})
	if err != nil {
		return nil, err
	}
	return createAliasOutput{StateMachineAliasArn: out.StateMachineAliasArn, CreationDate: epoch(out.CreationDate)}, nil
}

// checkCreateAlias applies CreateStateMachineAlias's model constraints.
func checkCreateAlias(r *createAliasInput) error {
	var v violations
	v.required("name", r.Name != nil)
	if r.Name != nil {
		v.length("name", *r.Name, 1, maxNameLen, false)
		if *r.Name != "" && !sfnemu.ValidAliasName(*r.Name) && len(*r.Name) <= maxNameLen {
			v.add("name", *r.Name, false, "Member must satisfy regular expression pattern: "+aliasNamePattern)
		}
	}
	checkAliasDescription(&v, r.Description)
	v.required("routingConfiguration", r.RoutingConfiguration != nil)
	if r.RoutingConfiguration != nil {
		checkRoutingModel(&v, r.RoutingConfiguration)
	}
	return v.err()
}

func describeStateMachineAlias(s *sfnemu.Service, ctx context.Context, r *aliasArnInput) (any, error) {
	if err := requiredArn("stateMachineAliasArn", r.StateMachineAliasArn); err != nil {
		return nil, err
	}
	a, err := s.DescribeStateMachineAlias(ctx, *r.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	routes := make([]routingOut, len(a.Routes))
	for i, rt := range a.Routes {
		routes[i] = routingOut{StateMachineVersionArn: rt.StateMachineVersionArn, Weight: rt.Weight}
	}
	return describeAliasOutput{StateMachineAliasArn: a.StateMachineAliasArn, Name: a.Name, Description: a.Description,
		RoutingConfiguration: routes, CreationDate: epoch(a.CreationDate), UpdateDate: epoch(a.UpdateDate)}, nil
}

func updateStateMachineAlias(s *sfnemu.Service, ctx context.Context, r *updateAliasInput) (any, error) {
	var v violations
	v.required("stateMachineAliasArn", r.StateMachineAliasArn != nil)
	checkAliasDescription(&v, r.Description)
	if r.RoutingConfiguration != nil {
		checkRoutingModel(&v, r.RoutingConfiguration)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := requiredArn("stateMachineAliasArn", r.StateMachineAliasArn); err != nil {
		return nil, err
	}
	out, err := s.UpdateStateMachineAlias(ctx, sfnemu.UpdateAliasInput{StateMachineAliasArn: *r.StateMachineAliasArn,
		Description: r.Description, Routes: toRoutes(r.RoutingConfiguration)})
	if err != nil {
		return nil, err
	}
	return updateAliasOutput{UpdateDate: epoch(out.UpdateDate)}, nil
}

func deleteStateMachineAlias(s *sfnemu.Service, ctx context.Context, r *aliasArnInput) (any, error) {
	if err := requiredArn("stateMachineAliasArn", r.StateMachineAliasArn); err != nil {
		return nil, err
	}
	return none(s.DeleteStateMachineAlias(ctx, *r.StateMachineAliasArn))
}

func listStateMachineAliases(s *sfnemu.Service, ctx context.Context, r *listAliasesInput) (any, error) {
	if err := checkMachineList(r.StateMachineArn, r.MaxResults, r.NextToken); err != nil {
		return nil, err
	}
	list, err := s.ListStateMachineAliases(ctx, sfnemu.ListAliasesInput{StateMachineArn: *r.StateMachineArn,
		Page: page("al", r.MaxResults, r.NextToken)})
	if err != nil {
		return nil, err
	}
	out := listAliasesOutput{StateMachineAliases: make([]aliasListItem, len(list.Aliases)), NextToken: nextToken("al", list.Next)}
	for i, a := range list.Aliases {
		out.StateMachineAliases[i] = aliasListItem{StateMachineAliasArn: a.StateMachineAliasArn, CreationDate: epoch(a.CreationDate)}
	}
	return out, nil
}

func checkAliasDescription(v *violations, d *string) {
	if d != nil {
		v.length("description", *d, 0, maxDescription, true)
	}
}

// checkRoutingModel checks the routing configuration's model constraints:
// 1–2 entries, each with a version ARN and a weight in [0, 100].
func checkRoutingModel(v *violations, items []routingItem) {
	if n := len(items); n < 1 || n > 2 {
		rule := "Member must have length greater than or equal to 1"
		if n > 2 {
			rule = "Member must have length less than or equal to 2"
		}
		v.add("routingConfiguration", renderRouting(items), false, rule)
		return
	}
	for i, it := range items {
		member := fmt.Sprintf("routingConfiguration.%d.member.", i+1)
		v.required(member+"stateMachineVersionArn", it.StateMachineVersionArn != nil)
		if it.StateMachineVersionArn != nil {
			v.length(member+"stateMachineVersionArn", *it.StateMachineVersionArn, 1, maxArnLen, false)
		}
		v.required(member+"weight", it.Weight != nil)
		if it.Weight != nil {
			v.rangeInt(member+"weight", int64(*it.Weight), 0, 100)
		}
	}
}

// renderRouting renders a routing configuration as AWS quotes it in a
// validation message (Java's toString of the list).
func renderRouting(items []routingItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		w := "null"
		if it.Weight != nil {
			w = strconv.Itoa(int(*it.Weight))
		}
		parts[i] = fmt.Sprintf("RoutingConfigurationListItem(stateMachineVersionArn=%s, weight=%s)",
			derefOr(it.StateMachineVersionArn), w)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
