package main

import (
	"fmt"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// loadCredentials reads `up --credentials`; no file leaves signature
// checking off.
func loadCredentials(path string) ([]awsapi.Credential, error) {
	if path == "" {
		return nil, nil
	}
	return awsapi.LoadCredentials(path)
}

// printSigning says whether `up` checks signatures, and with which keys
// (never the secrets).
func printSigning(path string, creds []awsapi.Credential) {
	if len(creds) == 0 {
		fmt.Println("  signatures not checked (start with --credentials FILE to check them)")
		return
	}
	fmt.Printf("  signatures checked: SigV4 with %d key(s) from %s; the Lambdas sign with %s ([%s])\n",
		len(creds), path, creds[0].AccessKeyID, creds[0].Profile)
}
