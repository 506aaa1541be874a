package crosstenant

import (
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// The complex types the default and the partner configurations share, read from request bodies
// with every error naming its JSON path.

// accessTypes are crossTenantAccessPolicyTargetConfigurationAccessType
// (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicytargetconfiguration?view=graph-rest-1.0).
var accessTypes = []string{"allowed", "blocked", "unknownFutureValue"}

// targetTypes are crossTenantAccessPolicyTargetType
// (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicytarget?view=graph-rest-1.0).
var targetTypes = []string{"user", "group", "application", "unknownFutureValue"}

// Target keywords: AllUsers and AllApplications, and for applications the reserved values
// AllMicrosoftApps and Office365 (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicytarget?view=graph-rest-1.0).
var (
	userKeywords        = []string{"AllUsers"}
	applicationKeywords = []string{"AllApplications", "AllMicrosoftApps", "Office365"}
)

// b2bSettingKeys are the properties of crossTenantAccessPolicyB2BSetting; tenant restrictions derive from it.
const (
	keyUsersAndGroups = "usersAndGroups"
	keyApplications   = "applications"
)

// parseTarget reads one crossTenantAccessPolicyTarget of a usersAndGroups (apps false) or an
// applications (apps true) configuration: usersAndGroups target users and groups, applications
// target applications (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicyb2bsetting?view=graph-rest-1.0);
// a target is an object id or a keyword of its kind, and a keyword goes with its target type.
func parseTarget(path string, v any, apps bool) (map[string]any, error) {
	o, err := wire.NewObject(path, "crossTenantAccessPolicyTarget", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	target, _, err := o.Str("target", true, true)
	if err != nil {
		return nil, err
	}
	tt, err := o.Enum("targetType", targetTypes, "")
	if err != nil {
		return nil, err
	}
	if tt == "" {
		return nil, wire.PathError(o.At("targetType"), "the property is required on type 'microsoft.graph.crossTenantAccessPolicyTarget'.")
	}
	if err := o.Done(); err != nil {
		return nil, err
	}
	allowedTypes := []string{"user", "group"}
	if apps {
		allowedTypes = []string{"application"}
	}
	if !contains(allowedTypes, tt) && tt != "unknownFutureValue" {
		return nil, wire.PathError(o.At("targetType"), "'%s' is not a target type of %s; use %s.", tt, map[bool]string{false: "usersAndGroups", true: "applications"}[apps], strings.Join(allowedTypes, " or "))
	}
	for _, kw := range append(append([]string{}, userKeywords...), applicationKeywords...) {
		if !strings.EqualFold(target, kw) {
			continue
		}
		isApp := contains(applicationKeywords, kw)
		switch {
		case isApp && tt != "application":
			return nil, wire.PathError(o.At("target"), "the keyword '%s' targets applications: its targetType must be 'application'.", kw)
		case !isApp && tt != "user":
			return nil, wire.PathError(o.At("target"), "the keyword '%s' targets users: its targetType must be 'user'.", kw)
		}
		return map[string]any{"target": kw, "targetType": tt}, nil
	}
	if _, err := uuid.Parse(target); err != nil {
		keywords := userKeywords
		if apps {
			keywords = applicationKeywords
		}
		return nil, wire.PathError(o.At("target"), "'%s' is neither an object id nor one of the keywords %s.", target, strings.Join(keywords, ", "))
	}
	return map[string]any{"target": strings.ToLower(target), "targetType": tt}, nil
}

// parseTargetConfiguration reads a crossTenantAccessPolicyTargetConfiguration. Both accessType and
// a non-empty targets list are required: a configuration without them says nothing [our choice].
func parseTargetConfiguration(path string, v any, apps bool) (map[string]any, error) {
	o, err := wire.NewObject(path, "crossTenantAccessPolicyTargetConfiguration", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	at, err := o.Enum("accessType", accessTypes, "")
	if err != nil {
		return nil, err
	}
	if at == "" {
		return nil, wire.PathError(o.At("accessType"), "the property is required on type 'microsoft.graph.crossTenantAccessPolicyTargetConfiguration'.")
	}
	raw, err := o.Array("targets")
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, wire.PathError(o.At("targets"), "at least one target is required.")
	}
	targets := make([]any, 0, len(raw))
	seen := map[string]bool{}
	for i, t := range raw {
		parsed, err := parseTarget(wire.Index(o.At("targets"), i), t, apps)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(parsed["target"].(string))
		if seen[key] {
			return nil, wire.PathError(wire.Index(o.At("targets"), i), "the target '%s' is listed twice.", parsed["target"])
		}
		seen[key] = true
		targets = append(targets, parsed)
	}
	if err := o.Done(); err != nil {
		return nil, err
	}
	return map[string]any{"accessType": at, "targets": targets}, nil
}

// parseB2BSetting reads a crossTenantAccessPolicyB2BSetting (typ) or crossTenantAccessPolicyTenantRestrictions;
// a part absent or null is absent from the result. Tenant restrictions' devices filter is "not supported
// on the server side yet" (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicytenantrestrictions?view=graph-rest-1.0)
// and refused [our choice].
func parseB2BSetting(path string, v any, typ string) (map[string]any, error) {
	o, err := wire.NewObject(path, typ, v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, k := range []string{keyUsersAndGroups, keyApplications} {
		raw, ok := o.Get(k)
		if !ok {
			continue
		}
		tc, err := parseTargetConfiguration(o.At(k), raw, k == keyApplications)
		if err != nil {
			return nil, err
		}
		out[k] = tc
	}
	if d, ok := o.Get("devices"); ok {
		return nil, wire.PathError(o.At("devices"), "the devices filter is not supported (got '%s').", wire.Literal(d))
	}
	if err := o.Done(); err != nil {
		return nil, err
	}
	return out, nil
}

// parseInboundTrust reads a crossTenantAccessPolicyInboundTrust: three optional booleans.
func parseInboundTrust(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "crossTenantAccessPolicyInboundTrust", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	out, err := optionalBools(o, "isMfaAccepted", "isCompliantDeviceAccepted", "isHybridAzureADJoinedDeviceAccepted")
	if err != nil {
		return nil, err
	}
	return out, o.Done()
}

// parseConsent reads an inboundOutboundPolicyConfiguration.
func parseConsent(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "inboundOutboundPolicyConfiguration", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	out, err := optionalBools(o, "inboundAllowed", "outboundAllowed")
	if err != nil {
		return nil, err
	}
	return out, o.Done()
}

// optionalBools reads Edm.Boolean properties that may be absent or null (nil in the result).
func optionalBools(o *wire.Object, keys ...string) (map[string]any, error) {
	out := map[string]any{}
	for _, k := range keys {
		v, ok := o.Get(k)
		if !ok {
			if _, present := o.Values[k]; present {
				out[k] = nil
			}
			continue
		}
		b, err := wire.Bool(o.At(k), v)
		if err != nil {
			return nil, err
		}
		out[k] = b
	}
	return out, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
