// Package arn holds stepwire's emulated region and account and builds the
// ARN shapes the emulator hands out: Step Functions state machines,
// executions, Express executions and activities, Lambda functions, IoT
// resources and IAM roles. Every ARN is in the "aws" partition.
package arn

const (
	// DefaultRegion is the region stepwire emulates unless told otherwise.
	DefaultRegion = "us-east-1"
	// DefaultAccount is the account id stepwire emulates unless told
	// otherwise (the account AWS's documentation uses in examples).
	DefaultAccount = "123456789012"
)

// Or returns region and account, each replaced by its default when empty.
func Or(region, account string) (string, string) {
	if region == "" {
		region = DefaultRegion
	}
	if account == "" {
		account = DefaultAccount
	}
	return region, account
}

func build(service, region, account, resource string) string {
	return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource
}

// StateMachine is arn:aws:states:<region>:<account>:stateMachine:<name>.
func StateMachine(region, account, name string) string {
	return build("states", region, account, "stateMachine:"+name)
}

// Execution is arn:aws:states:<region>:<account>:execution:<machine>:<name>.
func Execution(region, account, machine, name string) string {
	return build("states", region, account, "execution:"+machine+":"+name)
}

// ExpressExecution is
// arn:aws:states:<region>:<account>:express:<machine>:<name>:<id>.
func ExpressExecution(region, account, machine, name, id string) string {
	return build("states", region, account, "express:"+machine+":"+name+":"+id)
}

// Activity is arn:aws:states:<region>:<account>:activity:<name>.
func Activity(region, account, name string) string {
	return build("states", region, account, "activity:"+name)
}

// LambdaFunction is arn:aws:lambda:<region>:<account>:function:<name>.
func LambdaFunction(region, account, name string) string {
	return build("lambda", region, account, "function:"+name)
}

// IoT is arn:aws:iot:<region>:<account>:<resource>, where resource is
// "<type>/<name>", e.g. "thing/worker1", "policy/p", "rule/r", "topic/a/b".
func IoT(region, account, resource string) string {
	return build("iot", region, account, resource)
}

// IAMRole is arn:aws:iam::<account>:role/<name>; IAM is global, so the ARN
// names no region.
func IAMRole(account, name string) string {
	return build("iam", "", account, "role/"+name)
}

// RolesAnywhere is arn:aws:rolesanywhere:<region>:<account>:<resource>,
// where resource is "trust-anchor/<id>", "profile/<id>" or
// "subject/<id>".
func RolesAnywhere(region, account, resource string) string {
	return build("rolesanywhere", region, account, resource)
}

// Scheduler is arn:aws:scheduler:<region>:<account>:<resource>, where
// resource is "schedule/<group>/<name>" or "schedule-group/<name>".
func Scheduler(region, account, resource string) string {
	return build("scheduler", region, account, resource)
}

// Stack is arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>.
func Stack(region, account, name, id string) string {
	return build("cloudformation", region, account, "stack/"+name+"/"+id)
}

// EventsRule is arn:aws:events:<region>:<account>:rule/<name>, a rule on
// the default bus.
func EventsRule(region, account, name string) string {
	return build("events", region, account, "rule/"+name)
}
