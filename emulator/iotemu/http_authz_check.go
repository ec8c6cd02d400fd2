package iotemu

import "net/http"

type authInfoJSON struct {
	ActionType string   `json:"actionType"`
	Resources  []string `json:"resources"`
}

type policyRefJSON struct {
	PolicyName string `json:"policyName"`
	PolicyArn  string `json:"policyArn"`
}

type policiesJSON struct {
	Policies []policyRefJSON `json:"policies"`
}

type deniedJSON struct {
	ExplicitDeny *policiesJSON `json:"explicitDeny,omitempty"`
	ImplicitDeny *policiesJSON `json:"implicitDeny,omitempty"`
}

type authResultJSON struct {
	AuthInfo             authInfoJSON  `json:"authInfo"`
	AuthDecision         string        `json:"authDecision"`
	Allowed              *policiesJSON `json:"allowed,omitempty"`
	Denied               *deniedJSON   `json:"denied,omitempty"`
	MissingContextValues []string      `json:"missingContextValues"`
}

// handleTestAuthorization serves TestAuthorization:
// POST /test-authorization?clientId= (docs/iot-core.md §1.5, §5.2).
func (s *Service) handleTestAuthorization(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Principal             string         `json:"principal"`
		CognitoIdentityPoolID string         `json:"cognitoIdentityPoolId"`
		AuthInfos             []authInfoJSON `json:"authInfos"`
		PolicyNamesToAdd      []string       `json:"policyNamesToAdd"`
		PolicyNamesToSkip     []string       `json:"policyNamesToSkip"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, err)
		return
	}
	if body.CognitoIdentityPoolID != "" {
		writeErr(w, invalid("stepwire tests certificate principals only"))
		return
	}
	in := TestAuthorizationInput{Principal: body.Principal, ClientID: r.URL.Query().Get("clientId"),
		PolicyNamesToAdd: body.PolicyNamesToAdd, PolicyNamesToSkip: body.PolicyNamesToSkip}
	for _, ai := range body.AuthInfos {
		in.AuthInfos = append(in.AuthInfos, AuthInfo{ActionType: ai.ActionType, Resources: ai.Resources})
	}
	results, err := s.TestAuthorization(in)
	if err != nil {
		writeErr(w, err)
		return
	}
	refs := func(names []string) *policiesJSON {
		out := &policiesJSON{Policies: []policyRefJSON{}}
		for _, n := range names {
			out.Policies = append(out.Policies, policyRefJSON{PolicyName: n, PolicyArn: s.arn("policy/" + n)})
		}
		return out
	}
	out := struct {
		AuthResults []authResultJSON `json:"authResults"`
	}{AuthResults: []authResultJSON{}}
	for _, res := range results {
		j := authResultJSON{AuthInfo: authInfoJSON{ActionType: res.AuthInfo.ActionType, Resources: res.AuthInfo.Resources},
			AuthDecision: res.Decision, MissingContextValues: []string{}}
		switch res.Decision {
		case DecisionAllowed:
			j.Allowed = refs(res.Allowed)
		case DecisionExplicitDeny:
			j.Denied = &deniedJSON{ExplicitDeny: refs(res.ExplicitDeny)}
		default:
			j.Denied = &deniedJSON{ImplicitDeny: refs(res.ImplicitDeny)}
		}
		out.AuthResults = append(out.AuthResults, j)
	}
	writeJSON(w, out)
}
