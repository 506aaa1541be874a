package crosstenant

import (
	"errors"
	"net/http"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The default configuration (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicyconfigurationdefault?view=graph-rest-1.0):
// one document (collection CollDefault, id DefaultID). Until it is first written, and after a
// reset of the local API, it is the system default; resetToSystemDefault writes the system
// default back.

const (
	// CollDefault and DefaultID name the default configuration for the control API.
	CollDefault = "crossTenantAccessDefault"
	DefaultID   = "default"

	typeDefault = "microsoft.graph.crossTenantAccessPolicyConfigurationDefault"
)

// defaultSettings are the properties a PATCH of the default may set
// (https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicyconfigurationdefault-update?view=graph-rest-1.0).
var defaultSettings = []string{
	"b2bCollaborationInbound", "b2bCollaborationOutbound", "b2bDirectConnectInbound", "b2bDirectConnectOutbound",
	"inboundTrust", "tenantRestrictions", "invitationRedemptionIdentityProviderConfiguration",
}

// The b2bIdentityProvidersType members each property of the invitation redemption configuration
// takes (https://learn.microsoft.com/en-us/graph/api/resources/defaultinvitationredemptionidentityproviderconfiguration?view=graph-rest-1.0).
var (
	primaryIdentityProviders  = []string{"azureActiveDirectory", "externalFederation", "socialIdentityProviders"}
	fallbackIdentityProviders = []string{"defaultConfiguredIdp", "emailOneTimePasscode", "microsoftAccount"}
)

func allTargets(access, keyword, targetType string) map[string]any {
	return map[string]any{"accessType": access, "targets": []any{map[string]any{"target": keyword, "targetType": targetType}}}
}

func b2b(access string) map[string]any {
	return map[string]any{
		keyUsersAndGroups: allTargets(access, "AllUsers", "user"),
		keyApplications:   allTargets(access, "AllApplications", "application"),
	}
}

// SystemDefault is the system default configuration: B2B collaboration allowed for all users and
// applications both ways, B2B direct connect blocked both ways, no inbound trust, as the example of
// https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicyconfigurationdefault-get?view=graph-rest-1.0
// shows; automatic user consent is always false (resource page). Tenant restrictions block all users
// and applications, and invitation redemption tries Microsoft Entra, then federation, then social
// providers, falling back on the configured identity provider [our choice: the reference shows neither].
func SystemDefault() map[string]any {
	return map[string]any{
		"id":                           DefaultID,
		"isServiceDefault":             true,
		"automaticUserConsentSettings": map[string]any{"inboundAllowed": false, "outboundAllowed": false},
		"inboundTrust": map[string]any{
			"isMfaAccepted": false, "isCompliantDeviceAccepted": false, "isHybridAzureADJoinedDeviceAccepted": false,
		},
		"b2bCollaborationInbound":  b2b("allowed"),
		"b2bCollaborationOutbound": b2b("allowed"),
		"b2bDirectConnectInbound":  b2b("blocked"),
		"b2bDirectConnectOutbound": b2b("blocked"),
		"tenantRestrictions":       b2b("blocked"),
		"invitationRedemptionIdentityProviderConfiguration": map[string]any{
			"primaryIdentityProviderPrecedenceOrder": []any{"azureActiveDirectory", "externalFederation", "socialIdentityProviders"},
			"fallbackIdentityProvider":               "defaultConfiguredIdp",
		},
	}
}

func (s *API) defaultRoutes(t *route.Table) {
	t.Add(route.Graph, permission, policyPath+"/default", map[string]route.Handler{
		http.MethodGet:   s.getDefault,
		http.MethodPatch: s.updateDefault,
	})
	t.Add(route.Graph, permission, policyPath+"/default/resetToSystemDefault", map[string]route.Handler{
		http.MethodPost: s.resetDefault,
	})
}

// defaultLocked reads the default configuration, writing the system default first when the store
// has none. Callers hold the write lock.
func (s *API) defaultLocked() (map[string]any, error) {
	rec, err := s.Store.Get(CollDefault, DefaultID)
	if errors.Is(err, store.ErrNotFound) {
		doc := SystemDefault()
		return doc, s.Store.Insert(CollDefault, DefaultID, doc, s.Now())
	}
	if err != nil {
		return nil, err
	}
	return rec.Body, nil
}

func (s *API) getDefault(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	s.WriteMu.Lock()
	doc, err := s.defaultLocked()
	s.WriteMu.Unlock()
	if err != nil {
		return err
	}
	out := wire.WithContext(wire.Public(doc), wire.BaseURL(r)+"/v1.0/$metadata#policies/crossTenantAccessPolicy/default/$entity")
	out["@odata.type"] = "#" + typeDefault
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

// parseInvitationRedemption reads a defaultInvitationRedemptionIdentityProviderConfiguration; the
// precedence order lists distinct primary providers [our choice: distinct], the fallback is one of the
// fallback providers.
func parseInvitationRedemption(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "defaultInvitationRedemptionIdentityProviderConfiguration", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType("invitationRedemptionIdentityProviderConfiguration"); err != nil {
		return nil, err
	}
	out := map[string]any{}
	raw, err := o.Array("primaryIdentityProviderPrecedenceOrder")
	if err != nil {
		return nil, err
	}
	if raw != nil {
		order := make([]any, 0, len(raw))
		seen := map[string]bool{}
		for i, p := range raw {
			at := wire.Index(o.At("primaryIdentityProviderPrecedenceOrder"), i)
			m, err := wire.Enum(at, p, primaryIdentityProviders)
			if err != nil {
				return nil, err
			}
			if seen[m] {
				return nil, wire.PathError(at, "'%s' is listed twice.", m)
			}
			seen[m] = true
			order = append(order, m)
		}
		out["primaryIdentityProviderPrecedenceOrder"] = order
	}
	fb, err := o.Enum("fallbackIdentityProvider", fallbackIdentityProviders, "")
	if err != nil {
		return nil, err
	}
	if fb != "" {
		out["fallbackIdentityProvider"] = fb
	}
	return out, o.Done()
}

// parseDefaultPatch reads a PATCH of the default. Null is refused: the default always has a value.
// automaticUserConsentSettings is read-only and always false (resource page): false values are
// accepted, anything else refused.
func parseDefaultPatch(body map[string]any) (map[string]any, error) {
	o, err := wire.NewObject("", "crossTenantAccessPolicyConfigurationDefault", body)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("id", "isServiceDefault")
	out := map[string]any{}
	if v, ok := o.Get("automaticUserConsentSettings"); ok {
		c, err := parseConsent("automaticUserConsentSettings", v)
		if err != nil {
			return nil, err
		}
		for k, b := range c {
			if b == true {
				return nil, wire.PathError("automaticUserConsentSettings."+k, "automatic user consent cannot be allowed in the default configuration; set it on a partner configuration.")
			}
		}
	}
	for _, k := range defaultSettings {
		_, present := o.Values[k]
		v, ok := o.Get(k)
		if !present {
			continue
		}
		if !ok {
			return nil, wire.PathError(k, "a null value is not allowed in the default configuration.")
		}
		var parsed map[string]any
		if k == "invitationRedemptionIdentityProviderConfiguration" {
			parsed, err = parseInvitationRedemption(k, v)
		} else {
			parsed, err = parseSetting(k, v)
		}
		if err != nil {
			return nil, err
		}
		out[k] = parsed
	}
	return out, o.Done()
}

// updateDefault merges each settings property sent into the stored one: the parts of a property
// the body leaves out keep their value, as the default always has every part [our choice]. Any
// accepted PATCH makes the default customised (isServiceDefault false). Graph answers 204.
func (s *API) updateDefault(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseDefaultPatch(body)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.defaultLocked(); err != nil {
		return err
	}
	err = s.Store.Update(CollDefault, DefaultID, func(obj map[string]any) error {
		for k, v := range in {
			cur, _ := obj[k].(map[string]any)
			if cur == nil {
				cur = map[string]any{}
			}
			for part, pv := range v.(map[string]any) {
				if pv != nil {
					cur[part] = pv
				}
			}
			obj[k] = cur
		}
		obj["isServiceDefault"] = false
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// resetDefault writes the system default back and answers 204
// (https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicyconfigurationdefault-resettosystemdefault?view=graph-rest-1.0).
func (s *API) resetDefault(w http.ResponseWriter, _ *http.Request, _ route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.defaultLocked(); err != nil {
		return err
	}
	err := s.Store.Update(CollDefault, DefaultID, func(obj map[string]any) error {
		for k := range obj {
			delete(obj, k)
		}
		for k, v := range SystemDefault() {
			obj[k] = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
