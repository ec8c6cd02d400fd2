package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"

	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/arn"
)

// issueOptions are the flags of "certs issue".
type issueOptions struct {
	thing, policy, out, endpoint, dataDir, template string
	wait                                            time.Duration
	// tpl resolves the template when --policy is not given.
	tpl template.Options
}

func parseIssueFlags(args []string) (issueOptions, error) {
	var o issueOptions
	fs := flag.NewFlagSet("certs issue", flag.ContinueOnError)
	fs.StringVar(&o.thing, "thing", "", "thing the certificate is attached to (the worker's client id)")
	fs.StringVar(&o.policy, "policy", "", "IoT policy to attach (default: the template's only AWS::IoT::Policy)")
	fs.StringVar(&o.out, "out", "", "directory for cert.pem, priv.key and root-CA.crt")
	fs.StringVar(&o.endpoint, "endpoint", "", "emulator API endpoint (default: AWS_ENDPOINT_URL, else <data-dir>/endpoints.json)")
	fs.StringVar(&o.dataDir, "data-dir", ".stepwire", "emulator data directory, for endpoints.json")
	fs.StringVar(&o.template, "template", "template.yaml", "template to read the default policy from")
	fs.DurationVar(&o.wait, "wait", 0, "how long to wait for the emulator to come up (e.g. 30s)")
	fs.StringVar(&o.tpl.Region, "region", arn.DefaultRegion, "region the template is resolved for, as given to stepwire up")
	fs.StringVar(&o.tpl.Account, "account", arn.DefaultAccount, "account id the template is resolved for, as given to stepwire up")
	var params paramFlags
	fs.Var(&params, "param", "template parameter override NAME=VALUE, as given to stepwire up (repeatable)")
	if err := fs.Parse(args); err != nil {
		return issueOptions{}, err
	}
	o.tpl.Parameters = params.m
	if o.thing == "" || o.out == "" {
		return issueOptions{}, fmt.Errorf("certs issue: --thing and --out are required")
	}
	return o, nil
}

func certsIssue(ctx context.Context, args []string) error {
	o, err := parseIssueFlags(args)
	if err != nil {
		return err
	}
	if o.policy == "" {
		p, err := templatePolicy(o.template, o.tpl)
		if err != nil {
			return fmt.Errorf("certs issue: %w (or pass --policy)", err)
		}
		o.policy = p
	}
	url := endpointURL(o.endpoint, o.dataDir)
	if err := waitUp(ctx, url, o.wait); err != nil {
		return fmt.Errorf("certs issue: %w", err)
	}
	files, err := issue(ctx, url, o.thing, o.policy)
	if err != nil {
		return fmt.Errorf("certs issue: %w", err)
	}
	if err := os.MkdirAll(o.out, 0o700); err != nil {
		return fmt.Errorf("certs issue: %w", err)
	}
	for name, data := range files {
		mode := os.FileMode(0o644)
		if name == "priv.key" {
			mode = 0o600
		}
		if err := writeFileMode(filepath.Join(o.out, name), data, mode); err != nil {
			return fmt.Errorf("certs issue: %w", err)
		}
	}
	fmt.Printf("issued a certificate for thing %s with policy %s in %s\n", o.thing, o.policy, o.out)
	return nil
}

// templatePolicy is the name of the template's only IoT policy, resolved
// with opts: the region, account and parameter overrides the emulator was
// started with, since the name may depend on them.
func templatePolicy(path string, opts template.Options) (string, error) {
	t, err := template.Load(path, opts)
	if err != nil {
		return "", err
	}
	if len(t.Policies) != 1 {
		return "", fmt.Errorf("template %s has %d IoT policies, want exactly one", path, len(t.Policies))
	}
	return t.Policies[0].Name, nil
}

// issue creates an active certificate, attaches the policy and the thing,
// and fetches the emulator's CA, all through the emulator's API.
func issue(ctx context.Context, endpoint, thing, policy string) (map[string][]byte, error) {
	cfg, err := sdkConfig(ctx, endpoint)
	if err != nil {
		return nil, err
	}
	c := iot.NewFromConfig(cfg)
	cert, err := c.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	if err != nil {
		return nil, fmt.Errorf("create keys and certificate: %w", err)
	}
	if _, err := c.AttachPolicy(ctx, &iot.AttachPolicyInput{PolicyName: aws.String(policy), Target: cert.CertificateArn}); err != nil {
		return nil, fmt.Errorf("attach policy %s: %w", policy, err)
	}
	if _, err := c.AttachThingPrincipal(ctx, &iot.AttachThingPrincipalInput{ThingName: aws.String(thing), Principal: cert.CertificateArn}); err != nil {
		return nil, fmt.Errorf("attach thing %s: %w", thing, err)
	}
	ca, err := fetchCA(ctx, endpoint)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		"cert.pem":    []byte(aws.ToString(cert.CertificatePem)),
		"priv.key":    []byte(aws.ToString(cert.KeyPair.PrivateKey)),
		"root-CA.crt": ca,
	}, nil
}

// fetchCA downloads the CA that signs the broker's server certificate (on
// AWS this is Amazon's root CA, downloaded from Amazon Trust Services).
func fetchCA(ctx context.Context, endpoint string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+"/_stepwire/ca", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch CA: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch CA: status %d: %v", resp.StatusCode, err)
	}
	return b, nil
}

// waitUp polls the emulator's own endpoint until it answers or d elapses.
func waitUp(ctx context.Context, endpoint string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+"/_stepwire/endpoints", nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("emulator at %s not reachable: %w", endpoint, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
