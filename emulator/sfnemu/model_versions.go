package sfnemu

import "time"

// The typed version and alias API.

// PublishVersionInput publishes the machine's current revision; a
// RevisionID that is not current is ErrConflict.
type PublishVersionInput struct {
	StateMachineArn         string
	RevisionID, Description *string
}

// PublishVersionOutput is the published (or already holding) version.
type PublishVersionOutput struct {
	StateMachineVersionArn string
	CreationDate           time.Time
}

// ListVersionsInput lists a machine's versions, newest first.
type ListVersionsInput struct {
	StateMachineArn string
	Page            Page
}

// VersionListItem is one version of a list.
type VersionListItem struct {
	StateMachineVersionArn string
	CreationDate           time.Time
}

// VersionList is one page of versions.
type VersionList struct {
	Versions []VersionListItem
	Next     int
}

// Route sends Weight percent of an alias's executions to a version.
type Route struct {
	StateMachineVersionArn string
	Weight                 int32
}

// CreateAliasInput creates an alias of the machine the routes' versions
// belong to.
type CreateAliasInput struct {
	Name        string
	Description *string
	Routes      []Route
}

// CreateAliasOutput names the created (or identical existing) alias.
type CreateAliasOutput struct {
	StateMachineAliasArn string
	CreationDate         time.Time
}

// AliasDescription describes an alias.
type AliasDescription struct {
	StateMachineAliasArn, Name string
	Description                *string
	Routes                     []Route
	CreationDate, UpdateDate   time.Time
}

// UpdateAliasInput changes an alias's description, routes (nil keeps
// them) or both.
type UpdateAliasInput struct {
	StateMachineAliasArn string
	Description          *string
	Routes               []Route
}

// UpdateAliasOutput is when the alias was updated.
type UpdateAliasOutput struct {
	UpdateDate time.Time
}

// ListAliasesInput lists a machine's aliases in creation order, or those
// routing to a version ARN.
type ListAliasesInput struct {
	StateMachineArn string
	Page            Page
}

// AliasListItem is one alias of a list.
type AliasListItem struct {
	StateMachineAliasArn string
	CreationDate         time.Time
}

// AliasList is one page of aliases.
type AliasList struct {
	Aliases []AliasListItem
	Next    int
}
