package worker

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/internal/rolesanywhere"
	"github.com/stepwire/stepwire/internal/sfncallback"
)

// DirectConfig configures direct reporting (Config.Report "direct"): the
// worker calls SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat
// itself, with temporary credentials that IAM Roles Anywhere issues for
// its MQTT certificate and key (docs/roles-anywhere.md §4).
type DirectConfig struct {
	// TrustAnchorArn, ProfileArn and RoleArn name what CreateSession
	// asks for.
	TrustAnchorArn, ProfileArn, RoleArn string
	// Region is the region of Step Functions and Roles Anywhere.
	Region string
	// SFNEndpoint and RolesAnywhereEndpoint override the services' AWS
	// endpoints, e.g. with the emulator's http://127.0.0.1:4566.
	SFNEndpoint, RolesAnywhereEndpoint string
	// SessionSeconds is the session length (900 to 43200; 0: the
	// profile's, 3600 by default).
	SessionSeconds int
	// HTTPClient makes the calls (http.DefaultClient when nil).
	HTTPClient *http.Client
}

// directFromEnv reads REPORT's companions: TRUST_ANCHOR_ARN, PROFILE_ARN,
// ROLE_ARN, AWS_REGION (or AWS_DEFAULT_REGION), SFN_ENDPOINT and
// ROLESANYWHERE_ENDPOINT.
func directFromEnv(getenv func(string) string) DirectConfig {
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	return DirectConfig{
		TrustAnchorArn: getenv("TRUST_ANCHOR_ARN"), ProfileArn: getenv("PROFILE_ARN"), RoleArn: getenv("ROLE_ARN"),
		Region: region, SFNEndpoint: getenv("SFN_ENDPOINT"), RolesAnywhereEndpoint: getenv("ROLESANYWHERE_ENDPOINT"),
	}
}

func registerReportFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Report, "report", c.Report, "how results go back: mqtt (the submit topic) or direct "+
		"(SendTask* calls with IAM Roles Anywhere credentials) (env REPORT)")
	d := &c.Direct
	fs.StringVar(&d.TrustAnchorArn, "trust-anchor-arn", d.TrustAnchorArn, "direct: Roles Anywhere trust anchor ARN (env TRUST_ANCHOR_ARN)")
	fs.StringVar(&d.ProfileArn, "profile-arn", d.ProfileArn, "direct: Roles Anywhere profile ARN (env PROFILE_ARN)")
	fs.StringVar(&d.RoleArn, "role-arn", d.RoleArn, "direct: IAM role to assume (env ROLE_ARN)")
	fs.StringVar(&d.Region, "region", d.Region, "direct: AWS region (env AWS_REGION)")
	fs.StringVar(&d.SFNEndpoint, "sfn-endpoint", d.SFNEndpoint, "direct: Step Functions endpoint URL (env SFN_ENDPOINT; default AWS's)")
	fs.StringVar(&d.RolesAnywhereEndpoint, "rolesanywhere-endpoint", d.RolesAnywhereEndpoint,
		"direct: Roles Anywhere endpoint URL (env ROLESANYWHERE_ENDPOINT; default https://rolesanywhere.<region>.amazonaws.com)")
	fs.IntVar(&d.SessionSeconds, "session-seconds", d.SessionSeconds, "direct: Roles Anywhere session length, 900-43200 (0: the profile's)")
}

// validateReport checks the reporting mode and, for direct, its settings.
func (c Config) validateReport() []error {
	switch c.Report {
	case "", ReportMQTT:
		return nil
	case ReportDirect:
	default:
		return []error{fmt.Errorf("report %q: want %s or %s (env REPORT or --report)", c.Report, ReportMQTT, ReportDirect)}
	}
	var errs []error
	d := c.Direct
	for _, s := range []struct{ v, name, env, flag string }{
		{d.TrustAnchorArn, "trust anchor ARN", "TRUST_ANCHOR_ARN", "trust-anchor-arn"},
		{d.ProfileArn, "profile ARN", "PROFILE_ARN", "profile-arn"},
		{d.RoleArn, "role ARN", "ROLE_ARN", "role-arn"},
		{d.Region, "region", "AWS_REGION", "region"},
	} {
		if s.v == "" {
			errs = append(errs, fmt.Errorf("report direct: %s is not set (env %s or --%s)", s.name, s.env, s.flag))
		}
	}
	if d.SessionSeconds != 0 && (d.SessionSeconds < 900 || d.SessionSeconds > 43200) {
		errs = append(errs, fmt.Errorf("report direct: session seconds %d is outside 900-43200", d.SessionSeconds))
	}
	return errs
}

// newSink returns the worker's reporting sink: MQTT, or a Step Functions
// client whose credentials come from Roles Anywhere, signed with the
// worker's own certificate and key (the first of tlsCfg's certificates).
func (w *Worker) newSink() (sink, error) {
	if w.cfg.Report != ReportDirect {
		return mqttSink{w}, nil
	}
	if len(w.tls.Certificates) == 0 {
		return nil, errors.New("report direct: the TLS configuration holds no client certificate to sign with")
	}
	c, err := directClient(w.cfg.Direct, w.tls.Certificates[0])
	if err != nil {
		return nil, err
	}
	return directSink{sfn: c, logger: w.logger, timeout: w.cfg.PublishTimeout}, nil
}

func directClient(d DirectConfig, cert tls.Certificate) (*sfn.Client, error) {
	signer, err := rolesanywhere.NewSigner(cert)
	if err != nil {
		return nil, fmt.Errorf("report direct: %w", err)
	}
	ra := &rolesanywhere.Client{Endpoint: d.RolesAnywhereEndpoint, Region: d.Region, Signer: signer, HTTP: d.HTTPClient}
	creds := rolesanywhere.NewCredentialsProvider(ra, rolesanywhere.SessionInput{TrustAnchorArn: d.TrustAnchorArn,
		ProfileArn: d.ProfileArn, RoleArn: d.RoleArn, DurationSeconds: d.SessionSeconds})
	cfg := aws.Config{Region: d.Region, Credentials: creds}
	if d.HTTPClient != nil {
		cfg.HTTPClient = d.HTTPClient
	}
	return sfn.NewFromConfig(cfg, func(o *sfn.Options) {
		if d.SFNEndpoint != "" {
			o.BaseEndpoint = aws.String(d.SFNEndpoint)
		}
	}), nil
}

// directSink makes the Step Functions call a message asks for, as the
// complete Lambda does (internal/sfncallback): a task that is gone
// (TaskTimedOut, InvalidToken, TaskDoesNotExist) is logged and dropped.
// Progress counts as a heartbeat: it becomes SendTaskHeartbeat.
type directSink struct {
	sfn    sfncallback.SFN
	logger *slog.Logger
	// timeout bounds one report, credentials and retries included
	// (Config.PublishTimeout).
	timeout time.Duration
}

func (s directSink) send(ctx context.Context, payload []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	r, err := jobwire.ParseResult(payload)
	if err != nil {
		return fmt.Errorf("report direct: %w", err)
	}
	op, err := sfncallback.Send(ctx, s.sfn, r)
	if sfncallback.TaskGone(err) {
		s.logger.WarnContext(ctx, "task is gone; dropping report", "op", op, hop.TokenRefKey, hop.TokenRef(r.TaskToken), "err", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("report direct: %s: %w", op, err)
	}
	return nil
}
