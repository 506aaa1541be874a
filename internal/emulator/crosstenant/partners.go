package crosstenant

import (
	"errors"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Partner configurations (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicyconfigurationpartner?view=graph-rest-1.0):
// one document per partner tenant in collection CollPartners, keyed by the lower-case tenant id.
// A property that is null inherits the default configuration. The partner's tenant need not be
// known to the local API: the reference does not say Graph checks it [our choice].

// CollPartners is the store collection of partner configurations (for the control API).
const CollPartners = "crossTenantAccessPartners"

const typePartner = "microsoft.graph.crossTenantAccessPolicyConfigurationPartner"

// partnerSettings are the settings properties of a partner configuration: each is sent whole
// (create, update) or null to inherit the default.
var partnerSettings = []string{
	"automaticUserConsentSettings", "b2bCollaborationInbound", "b2bCollaborationOutbound",
	"b2bDirectConnectInbound", "b2bDirectConnectOutbound", "inboundTrust", "tenantRestrictions",
}

func (s *API) partnerRoutes(t *route.Table) {
	t.Add(route.Graph, permission, policyPath+"/partners", map[string]route.Handler{
		http.MethodGet:  s.listPartners,
		http.MethodPost: s.createPartner,
	})
	t.Add(route.Graph, permission, policyPath+"/partners/{tenantId}", map[string]route.Handler{
		http.MethodGet:    s.getPartner,
		http.MethodPatch:  s.updatePartner,
		http.MethodDelete: s.deletePartner,
	})
}

// parseSetting reads one settings property of the default or a partner configuration.
func parseSetting(k string, v any) (map[string]any, error) {
	switch k {
	case "automaticUserConsentSettings":
		return parseConsent(k, v)
	case "inboundTrust":
		return parseInboundTrust(k, v)
	case "tenantRestrictions":
		return parseB2BSetting(k, v, "crossTenantAccessPolicyTenantRestrictions")
	default:
		return parseB2BSetting(k, v, "crossTenantAccessPolicyB2BSetting")
	}
}

// parsePartnerBody reads a create (tenantId required) or update body. Read-only properties (the
// service-provider and multitenant-organization flags, which Graph sets from elsewhere) are
// accepted and ignored [our choice]; tenantId is the key and cannot change on update.
func parsePartnerBody(body map[string]any, create bool, key string) (map[string]any, error) {
	o, err := wire.NewObject("", "crossTenantAccessPolicyConfigurationPartner", body)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("isServiceProvider", "isInMultiTenantOrganization")
	out := map[string]any{}
	tenantID, sent, err := o.Str("tenantId", create, true)
	if err != nil {
		return nil, err
	}
	if sent {
		id, err := uuid.Parse(strings.TrimSpace(tenantID))
		switch {
		case err != nil:
			return nil, wire.PathError("tenantId", "'%s' is not a tenant id (a GUID).", tenantID)
		case !create && !strings.EqualFold(id.String(), key):
			return nil, wire.PathError("tenantId", "the key property cannot be changed (the configuration is for tenant '%s').", key)
		}
		out["tenantId"] = id.String()
	}
	for _, k := range partnerSettings {
		if _, present := o.Values[k]; !present {
			o.Ignore(k)
			continue
		}
		v, ok := o.Get(k)
		if !ok {
			out[k] = nil
			continue
		}
		parsed, err := parseSetting(k, v)
		if err != nil {
			return nil, err
		}
		out[k] = parsed
	}
	return out, o.Done()
}

// partnerOut is the answer form: every property, null when unset.
func partnerOut(doc map[string]any, r *http.Request, entity bool) map[string]any {
	out := wire.Public(doc)
	for _, k := range partnerSettings {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	if entity {
		out = wire.WithContext(out, wire.BaseURL(r)+"/v1.0/$metadata#policies/crossTenantAccessPolicy/partners/$entity")
	}
	out["@odata.type"] = "#" + typePartner
	return out
}

func (s *API) createPartner(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parsePartnerBody(body, true, "")
	if err != nil {
		return err
	}
	doc := map[string]any{
		"tenantId":                     in["tenantId"],
		"automaticUserConsentSettings": map[string]any{"inboundAllowed": nil, "outboundAllowed": nil},
		"isServiceProvider":            false,
		"isInMultiTenantOrganization":  false,
	}
	for _, k := range partnerSettings {
		if v, ok := in[k]; ok && v != nil {
			doc[k] = v
		}
	}
	if c, ok := doc["automaticUserConsentSettings"].(map[string]any); ok {
		doc["automaticUserConsentSettings"] = fillConsent(c)
	}
	key := in["tenantId"].(string)
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	// One configuration per partner tenant; the reference does not document the answer to a
	// second one: 409 Conflict [our choice].
	if _, err := s.Store.Get(CollPartners, key); err == nil {
		return &wire.Error{Status: http.StatusConflict, Code: "Request_MultipleObjectsWithSameKeyValue",
			Message: "A partner configuration for tenant '" + key + "' already exists."}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := s.Store.Insert(CollPartners, key, doc, s.Now()); err != nil {
		return err
	}
	out := partnerOut(doc, r, true)
	w.Header().Set("Location", wire.BaseURL(r)+policyPath+"/partners/"+key)
	wire.WriteJSON(w, http.StatusCreated, out)
	return nil
}

// fillConsent writes both consent flags, null when not sent.
func fillConsent(c map[string]any) map[string]any {
	out := map[string]any{"inboundAllowed": nil, "outboundAllowed": nil}
	for k, v := range c {
		out[k] = v
	}
	return out
}

// partnerKey normalises the {tenantId} segment; a value that is no GUID finds nothing.
func partnerKey(p route.Params) string {
	if id, err := uuid.Parse(strings.TrimSpace(p["tenantId"])); err == nil {
		return id.String()
	}
	return strings.ToLower(p["tenantId"])
}

func (s *API) getPartner(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.GetVisible(CollPartners, partnerKey(p))
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(partnerOut(rec.Body, r, true), odata.SelectList(r)))
	return nil
}

func (s *API) listPartners(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	recs, err := s.Store.List(CollPartners)
	if err != nil {
		return err
	}
	value := make([]any, 0, len(recs))
	for _, rec := range recs {
		value = append(value, odata.ApplySelect(partnerOut(rec.Body, r, false), odata.SelectList(r)))
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(map[string]any{"value": value},
		wire.BaseURL(r)+"/v1.0/$metadata#policies/crossTenantAccessPolicy/partners"))
	return nil
}

// updatePartner replaces each settings property the body names (null: inherit the default) and
// answers 204 (https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicyconfigurationpartner-update?view=graph-rest-1.0).
func (s *API) updatePartner(w http.ResponseWriter, r *http.Request, p route.Params) error {
	key := partnerKey(p)
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parsePartnerBody(body, false, key)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.GetVisible(CollPartners, key); err != nil {
		return err
	}
	err = s.Store.Update(CollPartners, key, func(obj map[string]any) error {
		for _, k := range partnerSettings {
			v, ok := in[k]
			switch {
			case !ok:
			case k == "automaticUserConsentSettings" && v == nil:
				obj[k] = fillConsent(nil)
			case k == "automaticUserConsentSettings":
				obj[k] = fillConsent(v.(map[string]any))
			case v == nil:
				delete(obj, k)
			default:
				obj[k] = v
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) deletePartner(w http.ResponseWriter, _ *http.Request, p route.Params) error {
	key := partnerKey(p)
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.GetVisible(CollPartners, key); err != nil {
		return err
	}
	if err := s.Store.Delete(CollPartners, key); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
