package sfnemu

import (
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/uuid"
)

// arnParts is a parsed Step Functions ARN:
// arn:<partition>:states:<region>:<account>:<type>:<name>[:<more>].
type arnParts struct {
	region, account, kind string
	rest                  []string
}

// parseArn checks an ARN's shape and resource type and returns its parts.
// Failures are ErrInvalidArn with AWS's texts.
func parseArn(s, kind string) (arnParts, error) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "states" || !strings.HasPrefix(a.Resource, a.Type+":") || a.Fields[0] == "" {
		return arnParts{}, fail(ErrInvalidArn, "Invalid ARN prefix: "+s)
	}
	p := arnParts{region: a.Region, account: a.AccountID, kind: a.Type, rest: a.Fields}
	if p.kind != kind {
		return arnParts{}, fail(ErrInvalidArn, "Resource type not valid in this context: "+p.kind)
	}
	return p, nil
}

func (s *Service) stateMachineArn(name string) string {
	return arn.StateMachine(s.cfg.Region, s.cfg.Account, name)
}

func (s *Service) executionArn(smName, name string) string {
	return arn.Execution(s.cfg.Region, s.cfg.Account, smName, name)
}

// expressArn names an Express execution; the trailing UUID makes every
// start distinct (Express starts are not idempotent).
func (s *Service) expressArn(smName, name string) string {
	return arn.ExpressExecution(s.cfg.Region, s.cfg.Account, smName, name, uuid.New())
}

// machineRef is a state machine ARN, possibly qualified by a version
// number or an alias name: <smArn>[:<number>|:<aliasName>].
type machineRef struct {
	arn     string // as given
	base    string // the unqualified state machine ARN
	version int    // > 0 for a version ARN
	alias   string // the alias name for an alias ARN
}

// parseMachineRef parses a state machine, version or alias ARN. A shape
// that is none of them keeps the whole ARN as base, so looking it up
// answers StateMachineDoesNotExist as AWS does.
func parseMachineRef(arn string) (machineRef, error) {
	p, err := parseArn(arn, "stateMachine")
	if err != nil {
		return machineRef{}, err
	}
	ref := machineRef{arn: arn, base: arn}
	if len(p.rest) != 2 {
		return ref, nil
	}
	q := p.rest[1]
	base := strings.TrimSuffix(arn, ":"+q)
	if n, ok := versionNumber(q); ok {
		return machineRef{arn: arn, base: base, version: n}, nil
	}
	if validAliasName(q) {
		return machineRef{arn: arn, base: base, alias: q}, nil
	}
	return ref, nil
}

// versionNumber reads a version qualifier: a positive decimal without
// leading zeros.
func versionNumber(q string) (int, bool) {
	if q == "" || q[0] == '0' || len(q) > 9 {
		return 0, false
	}
	for _, c := range q {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(q)
	return n, true
}

func versionArn(smArn string, n int) string { return smArn + ":" + strconv.Itoa(n) }

func aliasArn(smArn, name string) string { return smArn + ":" + name }

// CheckArn reports an arn that is not a Step Functions ARN of the given
// resource type ("stateMachine", "execution", "activity") as ErrInvalidArn.
// The service checks every ARN it is given; the wire layer calls CheckArn
// where AWS checks an ARN's shape before a request's other constraints.
func CheckArn(arn, resourceType string) error {
	_, err := parseArn(arn, resourceType)
	return err
}

// CheckStartArn is CheckArn for the stateMachineArn of StartExecution and
// StartSyncExecution: a state machine, version or alias ARN, optionally
// followed by "#<TestCase>".
func CheckStartArn(arn string) error {
	_, err := parseStartArn(arn)
	return err
}
