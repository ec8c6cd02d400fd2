// Package archtest holds the test that enforces stepwire's dependency
// direction (see its test file); it has no code of its own.
package archtest
