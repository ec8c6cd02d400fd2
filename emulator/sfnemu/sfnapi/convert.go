package sfnapi

import "github.com/stepwire/stepwire/emulator/sfnemu"

// Conversions between the wire shapes and the service's types.

func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func toLogging(l *loggingConfiguration) *sfnemu.LoggingConfiguration {
	if l == nil {
		return nil
	}
	out := &sfnemu.LoggingConfiguration{Level: l.Level, IncludeExecutionData: l.IncludeExecutionData}
	if l.Destinations != nil { // [] and absent are different requests
		out.Destinations = make([]sfnemu.LogDestination, 0, len(l.Destinations))
	}
	for _, d := range l.Destinations {
		var g *sfnemu.LogGroup
		if d.CloudWatchLogsLogGroup != nil {
			g = &sfnemu.LogGroup{LogGroupArn: d.CloudWatchLogsLogGroup.LogGroupArn}
		}
		out.Destinations = append(out.Destinations, sfnemu.LogDestination{CloudWatchLogsLogGroup: g})
	}
	return out
}

func fromLogging(l sfnemu.LoggingConfiguration) loggingConfiguration {
	out := loggingConfiguration{Level: l.Level, IncludeExecutionData: l.IncludeExecutionData}
	for _, d := range l.Destinations {
		var g *logGroup
		if d.CloudWatchLogsLogGroup != nil {
			g = &logGroup{LogGroupArn: d.CloudWatchLogsLogGroup.LogGroupArn}
		}
		out.Destinations = append(out.Destinations, logDestination{CloudWatchLogsLogGroup: g})
	}
	return out
}

func toTracing(t *tracingConfiguration) *sfnemu.TracingConfiguration {
	if t == nil {
		return nil
	}
	return &sfnemu.TracingConfiguration{Enabled: t.Enabled}
}

func toEncryption(e *encryptionConfiguration) *sfnemu.EncryptionConfiguration {
	if e == nil {
		return nil
	}
	return &sfnemu.EncryptionConfiguration{Type: e.Type, KmsKeyID: e.KmsKeyID,
		KmsDataKeyReusePeriodSeconds: e.KmsDataKeyReusePeriodSeconds}
}

// toTags reads a tags member; absent keys and values are empty.
func toTags(tags []tag) []sfnemu.Tag {
	out := make([]sfnemu.Tag, len(tags))
	for i, t := range tags {
		out[i] = sfnemu.Tag{Key: derefOr(t.Key), Value: derefOr(t.Value)}
	}
	return out
}

func toRoutes(items []routingItem) []sfnemu.Route {
	if items == nil {
		return nil
	}
	out := make([]sfnemu.Route, len(items))
	for i, it := range items {
		out[i] = sfnemu.Route{StateMachineVersionArn: derefOr(it.StateMachineVersionArn), Weight: derefOr(it.Weight)}
	}
	return out
}
