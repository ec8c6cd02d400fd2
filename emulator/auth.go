package emulator

import (
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/iotemu"
	"github.com/stepwire/stepwire/emulator/lambdaemu/lambdaapi"
	"github.com/stepwire/stepwire/emulator/scheduler/schedulerapi"
)

// checkSignatures turns on SigV4 checking when Config.Credentials holds
// keys: every AWS API request must then be signed with one of them, as on
// AWS. stepwire's own read-only endpoints stay open (isOpenLocalRead), a
// Roles Anywhere CreateSession is checked by its own X.509 verifier, and
// the temporary credentials it issues are accepted until they expire.
func (e *Emulator) checkSignatures() {
	if len(e.cfg.Credentials) == 0 {
		return
	}
	v := awsapi.NewSigV4Verifier(awsapi.SigV4Config{
		Credentials: e.cfg.Credentials, Region: e.cfg.Region, Clock: e.cfg.Clock, Services: signingNames,
		Lookup: e.sessionCredential,
	})
	e.router.Authenticate = func(w http.ResponseWriter, req *http.Request) *awsapi.Error {
		if isOpenLocalRead(req) || isCreateSession(req) {
			return nil
		}
		return v.Authenticate(w, req)
	}
}

// signingNames are the names a request's credential scope may give its
// service: "states" for Step Functions' awsJson calls; for the REST paths,
// which the IoT control plane and data plane share on this endpoint, the
// control plane's "iot" (aws-sdk-go-v2) or "execute-api" (botocore's IoT
// model, so the aws CLI; AWS IoT accepts both) and the data plane's
// "iotdata"; Lambda's API signs as "lambda". MQTT over WebSocket is presigned for "iotdevicegateway"
// (AWS IoT's SDKs) or "iotdata" (docs/iot-core.md §7.2).
func signingNames(req *http.Request) []string {
	if strings.HasPrefix(req.Header.Get("X-Amz-Target"), "AWSStepFunctions.") {
		return []string{"states"}
	}
	if strings.HasPrefix(req.URL.Path, lambdaapi.Prefix) {
		return []string{"lambda"}
	}
	if awsapi.IsQueryRequest(req) {
		return []string{"cloudformation"}
	}
	if strings.HasPrefix(req.URL.Path, schedulerapi.PathPrefix) {
		return []string{"scheduler"}
	}
	if req.URL.Path == iotemu.WebSocketPath {
		return []string{"iotdevicegateway", "iotdata"}
	}
	return []string{"iot", "execute-api", "iotdata"}
}

// isOpenLocalRead reports a GET of stepwire's own endpoints (the CA
// certificate and the endpoints), which need no signature: they are
// public facts, what Amazon's root CA download and DescribeEndpoint's
// answer are on AWS, and `stepwire certs issue` reads them before it has
// any reason to sign.
func isOpenLocalRead(req *http.Request) bool {
	return req.Method == http.MethodGet && req.Header.Get("X-Amz-Target") == "" &&
		strings.HasPrefix(req.URL.Path, "/_stepwire/")
}

// lambdaCredentials are what the in-process Lambdas sign with: the first
// configured key when signatures are checked, else none (anonymous
// requests, which an emulator without keys accepts).
func (e *Emulator) lambdaCredentials() aws.CredentialsProvider {
	if len(e.cfg.Credentials) == 0 {
		return aws.AnonymousCredentials{}
	}
	c := e.cfg.Credentials[0]
	return credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
}
