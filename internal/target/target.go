// Package target says which deployment the end-to-end tests and
// scenarios run against: the local emulator (the default) or a stack
// deployed on AWS (TARGET=aws). Only test harnesses import it: the worker
// and the Lambdas never know their target (internal/archtest checks it).
package target

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/stepwire/stepwire/internal/stack"
)

// Kind is a target.
type Kind string

// The two targets.
const (
	Local Kind = "local"
	AWS   Kind = "aws"
)

// Env names the setting, and StackEnv the stack's name (DefaultStack
// when unset).
const (
	Env          = "TARGET"
	StackEnv     = "STACK_NAME"
	DefaultStack = "stepwire"
)

// Parse reads a target name; "" is Local.
func Parse(s string) (Kind, error) {
	switch Kind(s) {
	case "", Local:
		return Local, nil
	case AWS:
		return AWS, nil
	}
	return "", fmt.Errorf("target %q: want %q or %q", s, Local, AWS)
}

// FromEnv reads TARGET.
func FromEnv() (Kind, error) { return Parse(os.Getenv(Env)) }

// StackName is STACK_NAME, or DefaultStack.
func StackName() string {
	if s := os.Getenv(StackEnv); s != "" {
		return s
	}
	return DefaultStack
}

// Deployment is a running stack to test: its AWS configuration and its
// resources, found the same way on either target.
type Deployment struct {
	Kind      Kind
	Config    aws.Config
	Resources *stack.Resources
}

// Discover finds the stack named name with cfg: on AWS, cfg comes from
// the default credential chain (see LoadAWSConfig); locally, it points at
// the emulator that loaded the template.
func Discover(ctx context.Context, kind Kind, cfg aws.Config, name string) (*Deployment, error) {
	r, err := stack.Discover(ctx, cfg, name)
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", kind, err)
	}
	return &Deployment{Kind: kind, Config: cfg, Resources: r}, nil
}

// LoadAWSConfig is the SDK's default configuration: the environment, the
// shared config and credentials files, SSO, the instance role. It needs a
// region.
func LoadAWSConfig(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return cfg, fmt.Errorf("target aws: load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return cfg, fmt.Errorf("target aws: no region: set AWS_REGION or AWS_DEFAULT_REGION, or region in ~/.aws/config")
	}
	return cfg, nil
}
