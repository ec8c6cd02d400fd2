package lambdaapi

import (
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/internal/arn"
)

// configuration is Lambda's FunctionConfiguration (docs/lambda.md §6.3).
type configuration struct {
	FunctionName, FunctionArn string
	Runtime                   string `json:",omitempty"`
	Role                      string
	Handler                   string `json:",omitempty"`
	CodeSize                  int64
	Description               string
	Timeout, MemorySize       int
	LastModified              string
	CodeSha256, Version       string
	Environment               *environment `json:",omitempty"`
	State                     string       `json:",omitempty"`
	LastUpdateStatus          string       `json:",omitempty"`
	PackageType               string
	Architectures             []string
	EphemeralStorage          struct{ Size int }
	TracingConfig             struct{ Mode string }
	LoggingConfig             struct{ LogFormat, LogGroup string }
	RevisionID                string `json:"RevisionId"`
}

type environment struct {
	Variables map[string]string
}

// configurationOf describes f as Lambda does; what has no local meaning
// (code size and hash, role) takes a neutral value.
func configurationOf(s *lambdaemu.Service, f *lambdaemu.Function) configuration {
	c := configuration{FunctionName: f.Name, FunctionArn: s.ARN(f.Name), Runtime: f.Config.Runtime,
		Role: arn.IAMRole(s.Account(), "stepwire"), Handler: f.Config.Handler, Description: f.Config.Description,
		Timeout: int(f.Config.Timeout), MemorySize: f.Config.MemorySize,
		LastModified: f.Registered.UTC().Format("2006-01-02T15:04:05.000+0000"), Version: "$LATEST",
		State: "Active", LastUpdateStatus: "Successful", PackageType: "Zip", Architectures: []string{"x86_64"},
		RevisionID: f.RevisionID}
	if f.Config.Role != "" {
		c.Role = f.Config.Role
	}
	if len(f.Config.Environment) > 0 {
		c.Environment = &environment{Variables: f.Config.Environment}
	}
	c.EphemeralStorage.Size = 512
	c.TracingConfig.Mode = "PassThrough"
	c.LoggingConfig.LogFormat, c.LoggingConfig.LogGroup = "Text", "/aws/lambda/"+f.Name
	return c
}
