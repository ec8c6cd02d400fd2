//go:build e2e

package e2e

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	iottypes "github.com/aws/aws-sdk-go-v2/service/iot/types"

	"github.com/stepwire/stepwire/internal/target"
)

// The suite runs against the target TARGET names (internal/target): the
// containers (unset or "local", the default) or a deployed stack
// (TARGET=aws, STACK_NAME, the default credential chain). On AWS the
// workers are still containers of this host, on a network that reaches
// the internet; two settings point them elsewhere:
const (
	// networkVar names an existing docker network for the workers,
	// instead of one of their own.
	networkVar = "STEPWIRE_E2E_NETWORK"
	// rootCAVar is a PEM file of the broker's CA for the workers, instead
	// of the image's CA bundle (which holds Amazon's roots).
	rootCAVar = "STEPWIRE_E2E_ROOT_CA"
)

// suiteTarget reads TARGET, failing the test on an unknown one.
func suiteTarget(t *testing.T) target.Kind {
	t.Helper()
	k, err := target.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// skipOn skips the test, with its reason, when the suite's target cannot
// have f injected; call it before setUp.
func skipOn(t *testing.T, f target.Fault) {
	t.Helper()
	suiteTarget(t).Skip(t, f)
}

// useAWS makes the deployed stack the env's: the default credential chain
// (AWS_ENDPOINT_URL included, which TestAWSTargetOnAnEmulatorStack uses),
// and a network for the workers.
func (e *env) useAWS(t *testing.T) {
	t.Helper()
	cfg, err := target.LoadAWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.aws = cfg
	if e.netName = os.Getenv(networkVar); e.netName == "" {
		e.newNetwork(t)
	}
	if f := os.Getenv(rootCAVar); f != "" {
		if e.caPEM, err = os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
}

// discover finds the stack's resources from its DescribeStacks outputs and
// parameters, its resources and the IoT data endpoint: on AWS the stack
// STACK_NAME, on the containers the one the emulator loaded.
func (e *env) discover(t *testing.T) {
	t.Helper()
	name := target.DefaultStack
	if e.kind == target.AWS {
		name = target.StackName()
	}
	d, err := target.Discover(context.Background(), e.kind, e.aws, name)
	if err != nil {
		t.Fatal(err)
	}
	e.stack = d.Resources
	t.Logf("target %s: stack %s: state machine %s, topics %s and %s, IoT data endpoint %s", e.kind, e.stack.StackName,
		e.stack.StateMachineArn, e.stack.WorkerTopic, e.stack.ResultsTopic, e.stack.IoTDataEndpoint)
}

// function is the physical name of the stack's function logicalID.
func (e *env) function(t *testing.T, logicalID string) string {
	t.Helper()
	name := e.stack.Physical[logicalID]
	if name == "" {
		t.Fatalf("stack %s has no resource %s", e.stack.StackName, logicalID)
	}
	return name
}

// retire removes a worker's certificate from a stack that outlives the
// test: detached from the policy, deactivated, deleted. Failures are
// logged, not fatal: the test's verdict is already known.
func (e *env) retire(t *testing.T, cert *iot.CreateKeysAndCertificateOutput) {
	ctx, c := context.Background(), iot.NewFromConfig(e.aws)
	_, err := c.DetachPolicy(ctx, &iot.DetachPolicyInput{PolicyName: aws.String(policy), Target: cert.CertificateArn})
	if err == nil {
		_, err = c.UpdateCertificate(ctx, &iot.UpdateCertificateInput{CertificateId: cert.CertificateId,
			NewStatus: iottypes.CertificateStatusInactive})
	}
	if err == nil {
		_, err = c.DeleteCertificate(ctx, &iot.DeleteCertificateInput{CertificateId: cert.CertificateId})
	}
	if err != nil {
		t.Logf("certificate %s left in the account: %v", aws.ToString(cert.CertificateId), err)
	}
}
