package sfnapi

// Wire shapes of the version and alias operations (service model names).

type publishVersionInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	RevisionID      *string `json:"revisionId"`
	Description     *string `json:"description"`
}

type publishVersionOutput struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	CreationDate           epoch  `json:"creationDate"`
}

type versionArnInput struct {
	StateMachineVersionArn *string `json:"stateMachineVersionArn"`
}

type listVersionsInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	MaxResults      int32   `json:"maxResults"`
	NextToken       string  `json:"nextToken"`
}

type listVersionsOutput struct {
	StateMachineVersions []versionListItem `json:"stateMachineVersions"`
	NextToken            string            `json:"nextToken,omitempty"`
}

type versionListItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	CreationDate           epoch  `json:"creationDate"`
}

type routingItem struct {
	StateMachineVersionArn *string `json:"stateMachineVersionArn"`
	Weight                 *int32  `json:"weight"`
}

type routingOut struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	Weight                 int32  `json:"weight"`
}

type createAliasInput struct {
	Name                 *string       `json:"name"`
	Description          *string       `json:"description"`
	RoutingConfiguration []routingItem `json:"routingConfiguration"`
}

type createAliasOutput struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         epoch  `json:"creationDate"`
}

type aliasArnInput struct {
	StateMachineAliasArn *string `json:"stateMachineAliasArn"`
}

type describeAliasOutput struct {
	StateMachineAliasArn string       `json:"stateMachineAliasArn"`
	Name                 string       `json:"name"`
	Description          *string      `json:"description,omitempty"`
	RoutingConfiguration []routingOut `json:"routingConfiguration"`
	CreationDate         epoch        `json:"creationDate"`
	UpdateDate           epoch        `json:"updateDate"`
}

type updateAliasInput struct {
	StateMachineAliasArn *string       `json:"stateMachineAliasArn"`
	Description          *string       `json:"description"`
	RoutingConfiguration []routingItem `json:"routingConfiguration"`
}

type updateAliasOutput struct {
	UpdateDate epoch `json:"updateDate"`
}

type listAliasesInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	MaxResults      int32   `json:"maxResults"`
	NextToken       string  `json:"nextToken"`
}

type listAliasesOutput struct {
	StateMachineAliases []aliasListItem `json:"stateMachineAliases"`
	NextToken           string          `json:"nextToken,omitempty"`
}

type aliasListItem struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         epoch  `json:"creationDate"`
}
