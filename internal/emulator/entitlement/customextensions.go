package entitlement

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Catalog custom workflow extensions (spec 1.7): contained in a catalog (internal
// _catalogId), typed by @odata.type (request or assignment extension), referenced by
// the customExtensionStageSettings of assignment policies. Create answers 201 with the
// object itself (not wrapped in "value", [U]); update is PATCH answering 200 with the
// object [U]; an extension a policy uses cannot be deleted, and a catalog holding
// extensions cannot be deleted either.

const (
	collCustomWorkflowExtensions = "customWorkflowExtensions"

	extensionCreatedBy = "entragov emulator admin" // createdBy/lastModifiedBy [U]
)

var customExtensionFilterable = []string{"id", "displayName", "description"}

func (s *API) customExtensionRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/customWorkflowExtensions", map[string]route.Handler{
		http.MethodGet:  s.listCustomExtensions,
		http.MethodPost: s.createCustomExtension,
	})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/customWorkflowExtensions/{extId}", map[string]route.Handler{
		http.MethodGet: s.getCustomExtension,
		// PUT is the documented update; it takes some properties and keeps the others (the example
		// body of both update pages carries only the names). PATCH is kept as the OData update.
		http.MethodPut:    s.updateCustomExtension,
		http.MethodPatch:  s.updateCustomExtension,
		http.MethodDelete: s.deleteCustomExtension,
	})
}

func (s *API) customExtensionContext(r *http.Request, catalogID string) string {
	return wire.EntityContext(r, navContext("catalogs", catalogID, "customWorkflowExtensions"))
}

// parseCustomExtension validates a create body (create) or a PATCH body against the
// stored extension (cur). It returns the properties to write.
func parseCustomExtension(body map[string]any, cur map[string]any) (map[string]any, error) {
	create := cur == nil
	o, err := wire.NewObject("", "customCalloutExtension", body)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	var typ string
	if create {
		if typ, err = o.PolyType("customCalloutExtension", []string{extTypeRequest, extTypeAssignment}); err != nil {
			return nil, err
		}
	} else {
		typ, _ = wire.ODataLeaf(cur["@odata.type"])
		if raw, ok := body["@odata.type"]; ok && raw != nil {
			leaf, _ := wire.ODataLeaf(raw)
			if !strings.EqualFold(leaf, typ) {
				return nil, wire.PathError("@odata.type", "the type of a custom extension cannot be changed: it is '#microsoft.graph.%s'.", typ)
			}
		}
	}
	o.Type = typ
	out["@odata.type"] = "#" + wire.GraphNamespace + typ
	o.Ignore("id", "createdBy", "lastModifiedBy", "createdDateTime", "lastModifiedDateTime")

	if _, present := o.Values["displayName"]; present || create {
		if out["displayName"], _, err = o.Str("displayName", true, true); err != nil {
			return nil, err
		}
	}
	if _, present := o.Values["description"]; present {
		if out["description"], err = o.NullableStr("description"); err != nil {
			return nil, err
		}
	}
	if _, present := o.Values["endpointConfiguration"]; present || create {
		if out["endpointConfiguration"], err = parseEndpointConfiguration(o); err != nil {
			return nil, err
		}
	}
	if _, present := o.Values["authenticationConfiguration"]; present || create {
		if out["authenticationConfiguration"], err = parseAuthenticationConfiguration(o); err != nil {
			return nil, err
		}
	}
	if _, present := o.Values["clientConfiguration"]; present {
		if out["clientConfiguration"], err = parseClientConfiguration(o); err != nil {
			return nil, err
		}
	}
	if v, present := o.Values["callbackConfiguration"]; present && typ != extTypeRequest && v == nil {
		o.Ignore("callbackConfiguration") // null: nothing to refuse, nothing to keep
	} else if present {
		if typ != extTypeRequest {
			return nil, wire.PathError("callbackConfiguration", "only a '#microsoft.graph.%s' has a callbackConfiguration.", extTypeRequest)
		}
		if out["callbackConfiguration"], err = parseCallbackConfiguration(o); err != nil {
			return nil, err
		}
	}
	return out, o.Done()
}

// requiredPolyChild opens o's required object property name, whose @odata.type must be one of
// members of base, and starts its output with that type.
func requiredPolyChild(o *wire.Object, name, base string, members []string) (*wire.Object, map[string]any, error) {
	v, ok := o.Get(name)
	if !ok {
		return nil, nil, wire.PathError(name, "the property is required on type 'microsoft.graph.%s'.", o.Type)
	}
	child, err := wire.NewObject(name, base, v)
	if err != nil {
		return nil, nil, err
	}
	if child.Type, err = child.PolyType(base, members); err != nil {
		return nil, nil, err
	}
	return child, map[string]any{"@odata.type": "#" + wire.GraphNamespace + child.Type}, nil
}

// Documented callback timeout bounds
// (https://learn.microsoft.com/en-us/graph/api/resources/customextensioncallbackconfiguration?view=graph-rest-1.0):
// five minutes to 14 days in entitlement management (lifecycle workflows: to three hours).
const (
	CallbackMinSeconds   = 5 * 60
	emCallbackMaxSeconds = 14 * 24 * 3600
)

// clientConfigurationRange is the documented range of a customExtensionClientConfiguration property.
func clientConfigurationRange(k string) (int, int) {
	if k == "maximumRetries" {
		return 0, 1
	}
	return 200, 2000
}

// ParseCalloutEndpoint, ParseCalloutAuthentication and ParseCalloutClient read the parts every custom
// extension shares (customCalloutExtension); the lifecycle area's custom task extensions use them too.
func ParseCalloutEndpoint(o *wire.Object) (map[string]any, error) {
	return parseEndpointConfiguration(o)
}

// ParseCalloutAuthentication: see ParseCalloutEndpoint.
func ParseCalloutAuthentication(o *wire.Object) (map[string]any, error) {
	return parseAuthenticationConfiguration(o)
}

// ParseCalloutClient: see ParseCalloutEndpoint.
func ParseCalloutClient(o *wire.Object) (any, error) { return parseClientConfiguration(o) }

// CalloutDuration reads an Edm.Duration property of o (nil when absent or null).
func CalloutDuration(o *wire.Object, k string) (*wire.Duration, error) { return edmDurationOf(o, k) }

func parseEndpointConfiguration(o *wire.Object) (map[string]any, error) {
	eo, out, err := requiredPolyChild(o, "endpointConfiguration", "customExtensionEndpointConfiguration",
		[]string{"logicAppTriggerEndpointConfiguration", "httpRequestEndpoint"})
	if err != nil {
		return nil, err
	}
	if eo.Type == "httpRequestEndpoint" {
		target, _, err := eo.Str("targetUrl", true, true)
		if err != nil {
			return nil, err
		}
		if u, perr := url.Parse(target); perr != nil || u.Scheme != "https" || u.Host == "" {
			return nil, wire.PathError("endpointConfiguration.targetUrl", "'%s' is not an absolute https URL.", target)
		}
		out["targetUrl"] = target
		return out, eo.Done()
	}
	for _, k := range []string{"subscriptionId", "resourceGroupName", "logicAppWorkflowName"} {
		if out[k], _, err = eo.Str(k, true, true); err != nil {
			return nil, err
		}
	}
	eo.Ignore("url") // read-only, computed
	out["url"] = "https://management.azure.com/subscriptions/" + url.PathEscape(out["subscriptionId"].(string)) +
		"/resourceGroups/" + url.PathEscape(out["resourceGroupName"].(string)) +
		"/providers/Microsoft.Logic/workflows/" + url.PathEscape(out["logicAppWorkflowName"].(string)) +
		"/triggers/manual/paths/invoke?api-version=2016-10-01"
	return out, eo.Done()
}

func parseAuthenticationConfiguration(o *wire.Object) (map[string]any, error) {
	ao, out, err := requiredPolyChild(o, "authenticationConfiguration", "customExtensionAuthenticationConfiguration",
		[]string{"azureAdPopTokenAuthentication", "azureAdTokenAuthentication"})
	if err != nil {
		return nil, err
	}
	if ao.Type == "azureAdTokenAuthentication" {
		if out["resourceId"], _, err = ao.Str("resourceId", true, true); err != nil {
			return nil, err
		}
	}
	return out, ao.Done()
}

func parseClientConfiguration(o *wire.Object) (any, error) {
	co, err := o.Object("clientConfiguration", "customExtensionClientConfiguration")
	if err != nil || co == nil {
		return nil, err
	}
	if _, err := co.FixedType(); err != nil {
		return nil, err
	}
	// Answered with its @odata.type, as the custom task extension pages show it.
	out := map[string]any{"@odata.type": "#microsoft.graph.customExtensionClientConfiguration", "maximumRetries": nil, "timeoutInMilliseconds": nil}
	for _, k := range []string{"maximumRetries", "timeoutInMilliseconds"} {
		if v, ok := co.Get(k); ok {
			n, err := wire.Int(co.At(k), v)
			if err != nil {
				return nil, err
			}
			// The documented ranges: https://learn.microsoft.com/en-us/graph/api/resources/customextensionclientconfiguration?view=graph-rest-1.0
			lo, hi := clientConfigurationRange(k)
			if n < lo || n > hi {
				return nil, wire.PathError(co.At(k), "must be between %d and %d, got %d.", lo, hi, n)
			}
			out[k] = n
		}
	}
	return out, co.Done()
}

// parseCallbackConfiguration reads timeoutDuration (metadata); the doc example's
// durationBeforeTimeout is accepted as its alias (spec 1.7 [U]). A configuration sent with the
// alias answers it too, as the example of
// https://learn.microsoft.com/graph/api/accesspackagecatalog-post-accesspackagecustomworkflowextensions?view=graph-rest-1.0
// echoes it; timeoutDuration is always answered.
func parseCallbackConfiguration(o *wire.Object) (any, error) {
	co, err := o.Object("callbackConfiguration", "customExtensionCallbackConfiguration")
	if err != nil || co == nil {
		return nil, err
	}
	typ, err := co.FixedType("accessPackageRequestApprovalStageCallbackConfiguration")
	if err != nil {
		return nil, err
	}
	d, err := edmDurationOf(co, "timeoutDuration")
	if err != nil {
		return nil, err
	}
	alias, err := edmDurationOf(co, "durationBeforeTimeout")
	if err != nil {
		return nil, err
	}
	if d != nil && alias != nil && d.Seconds != alias.Seconds {
		return nil, wire.PathError(co.At("durationBeforeTimeout"), "'%s' differs from timeoutDuration '%s'; send one of them.", alias.Text, d.Text)
	}
	if d == nil {
		d = alias
	}
	if d == nil {
		return nil, wire.PathError(co.At("timeoutDuration"), "the property is required (e.g. \"PT1H\").")
	}
	if d.Seconds < CallbackMinSeconds || d.Seconds > emCallbackMaxSeconds {
		return nil, wire.PathError(co.At("timeoutDuration"), "must be between PT5M and P14D, got '%s'.", d.Text)
	}
	out := map[string]any{"@odata.type": "#" + wire.GraphNamespace + typ, "timeoutDuration": d.Text}
	if alias != nil {
		out["durationBeforeTimeout"] = d.Text
	}
	return out, co.Done()
}

func (s *API) listCustomExtensions(w http.ResponseWriter, r *http.Request, p route.Params) error {
	cat, err := s.visibleCatalog(p["id"])
	if err != nil {
		return err
	}
	cq, err := s.ParseQuery(r, customExtensionFilterable)
	if err != nil {
		return err
	}
	recs, err := s.childRecords(collCustomWorkflowExtensions, ifCatalogID, cat.ID)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, s.Visible(recs), navContext("catalogs", cat.ID, "customWorkflowExtensions"), wire.Public)
	return nil
}

func (s *API) createCustomExtension(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	cat, err := s.Store.Get(Catalogs, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	in, err := parseCustomExtension(body, nil)
	if err != nil {
		return err
	}
	now := s.Timestamp()
	doc := map[string]any{
		"id": uuid.NewString(), "description": nil, "clientConfiguration": nil,
		"createdBy": extensionCreatedBy, "lastModifiedBy": extensionCreatedBy,
		"createdDateTime": now, "lastModifiedDateTime": now, ifCatalogID: cat.ID,
	}
	if in["@odata.type"] == "#"+wire.GraphNamespace+extTypeRequest {
		doc["callbackConfiguration"] = nil
	}
	for k, v := range in {
		doc[k] = v
	}
	if err := s.Store.Insert(collCustomWorkflowExtensions, doc["id"].(string), doc, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/catalogs/"+cat.ID+"/customWorkflowExtensions/"+doc["id"].(string))
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(wire.Public(doc), s.customExtensionContext(r, cat.ID)))
	return nil
}

// catalogExtension reads an extension of the catalog; another catalog's is not found.
func (s *API) catalogExtension(catalogID, extID string, visible bool) (*store.Record, error) {
	var rec *store.Record
	var err error
	if visible {
		rec, err = s.GetVisible(collCustomWorkflowExtensions, extID)
	} else {
		rec, err = s.Store.Get(collCustomWorkflowExtensions, extID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, wire.NotFound(extID)
		}
	}
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(wire.StrField(rec.Body, ifCatalogID), catalogID) {
		return nil, wire.NotFound(extID)
	}
	return rec, nil
}

func (s *API) getCustomExtension(w http.ResponseWriter, r *http.Request, p route.Params) error {
	cat, err := s.visibleCatalog(p["id"])
	if err != nil {
		return err
	}
	rec, err := s.catalogExtension(cat.ID, p["extId"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(wire.Public(rec.Body), s.customExtensionContext(r, cat.ID)), odata.SelectList(r)))
	return nil
}

func (s *API) updateCustomExtension(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	cat, err := s.Store.Get(Catalogs, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	rec, err := s.catalogExtension(cat.ID, p["extId"], false)
	if err != nil {
		return err
	}
	in, err := parseCustomExtension(body, rec.Body)
	if err != nil {
		return err
	}
	var out map[string]any
	err = s.Store.Update(collCustomWorkflowExtensions, rec.ID, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		obj["lastModifiedBy"] = extensionCreatedBy
		obj["lastModifiedDateTime"] = s.Timestamp()
		out = wire.Public(obj)
		return nil
	})
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, s.customExtensionContext(r, cat.ID)))
	return nil
}

func (s *API) deleteCustomExtension(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	cat, err := s.Store.Get(Catalogs, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	rec, err := s.catalogExtension(cat.ID, p["extId"], false)
	if err != nil {
		return err
	}
	if users := s.policiesUsingExtension(wire.StrField(rec.Body, "id")); len(users) > 0 {
		return wire.BadRequest("The custom extension cannot be deleted because assignment policies use it: " + strings.Join(users, ", ") +
			". Remove it from their customExtensionStageSettings first.")
	}
	if err := s.Store.Delete(collCustomWorkflowExtensions, rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// policiesUsingExtension lists the ids of the policies whose stage settings name extID.
func (s *API) policiesUsingExtension(extID string) []string {
	recs, err := s.Store.List(AssignmentPolicies)
	if err != nil {
		return nil
	}
	var out []string
	for _, rec := range recs {
		for _, x := range wire.AnySlice(rec.Body["customExtensionStageSettings"]) {
			m, _ := x.(map[string]any)
			ce, _ := m["customExtension"].(map[string]any)
			if ce != nil && strings.EqualFold(wire.StrField(ce, "id"), extID) {
				out = append(out, wire.StrField(rec.Body, "id"))
				break
			}
		}
	}
	return out
}

// catalogHasExtensions is part of the deleteCatalog check (spec 1.1 [U]: 400).
func (s *API) catalogHasExtensions(catalogID string) error {
	recs, err := s.childRecords(collCustomWorkflowExtensions, ifCatalogID, catalogID)
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		return wire.BadRequest("The catalog cannot be deleted because it still contains custom workflow extensions.")
	}
	return nil
}
