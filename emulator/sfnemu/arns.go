package sfnemu

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// arnParts is a parsed Step Functions ARN:
// arn:<partition>:states:<region>:<account>:<type>:<name>[:<more>].
type arnParts struct {
	region, account, kind string
	rest                  []string
}

// parseArn checks an ARN's shape and resource type and returns its parts.
// Failures are ErrInvalidArn with AWS's texts.
func parseArn(arn, kind string) (arnParts, error) {
	if !strings.HasPrefix(arn, "arn:") {
		return arnParts{}, fail(ErrInvalidArn, "Invalid ARN prefix: "+arn)
	}
	f := strings.Split(arn, ":")
	if len(f) < 7 || f[2] != "states" || f[6] == "" {
		return arnParts{}, fail(ErrInvalidArn, "Invalid ARN prefix: "+arn)
	}
	p := arnParts{region: f[3], account: f[4], kind: f[5], rest: f[6:]}
	if p.kind != kind {
		return arnParts{}, fail(ErrInvalidArn, "Resource type not valid in this context: "+p.kind)
	}
	return p, nil
}

func (s *Service) stateMachineArn(name string) string {
	return "arn:aws:states:" + s.cfg.Region + ":" + s.cfg.Account + ":stateMachine:" + name
}

func (s *Service) executionArn(smName, name string) string {
	return "arn:aws:states:" + s.cfg.Region + ":" + s.cfg.Account + ":execution:" + smName + ":" + name
}

// expressArn names an Express execution; the trailing UUID makes every
// start distinct (Express starts are not idempotent).
func (s *Service) expressArn(smName, name string) string {
	return "arn:aws:states:" + s.cfg.Region + ":" + s.cfg.Account + ":express:" + smName + ":" + name + ":" + awsapi.RequestID()
}
