package sfnemu

import "github.com/stepwire/stepwire/emulator/awsapi"

// WireHandler serves a Service over awsJson1_0 for the tests that drive it
// with the SDK. wire_test.go (package sfnemu_test) sets it to
// sfnapi.Handler, which this package cannot import.
var WireHandler func(*Service) awsapi.JSONHandler
