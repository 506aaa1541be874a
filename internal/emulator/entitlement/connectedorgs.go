package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Connected organizations (spec 1.8). Documents live in collConnectedOrgs with the
// sponsors as internal id lists (_internalSponsors, _externalSponsors). The single identity
// source is kept as sent, except that a domainIdentitySource of a known tenant's domain becomes
// that tenant's azureActiveDirectoryTenant source (partners.go), and a source sent without
// displayName gets one from the service.

const (
	collConnectedOrgs = policyCollConnectedOrgs // "connectedOrganizations"

	ifInternalSponsors = "_internalSponsors"
	ifExternalSponsors = "_externalSponsors"

	typeConnectedOrg = "microsoft.graph.connectedOrganization"

	// SponsorsInternal and SponsorsExternal are the sponsor kinds of AddSponsor and
	// RemoveSponsor (the navigation property names).
	SponsorsInternal = "internalSponsors"
	SponsorsExternal = "externalSponsors"

	msgDuplicateIdentitySource = "A connected organization for this identity source already exists."
)

var connectedOrgType = &wire.EntityType{
	Name: typeConnectedOrg,
	Props: []wire.Prop{
		{Name: "id", Kind: wire.KindString, ReadOnly: true},
		{Name: "displayName", Kind: wire.KindString, Required: true, NonEmpty: true},
		// description: required-present, "" allowed (as catalogs, spec 7).
		{Name: "description", Kind: wire.KindString, Required: true, Nullable: true},
		{Name: "state", Kind: wire.KindEnum, Enum: []string{"configured", "proposed"}},
		{Name: "createdDateTime", Kind: wire.KindString, ReadOnly: true},
		{Name: "modifiedDateTime", Kind: wire.KindString, ReadOnly: true},
	},
}

// identitySourceTypes are the leaf names of the identitySource subtypes.
var identitySourceTypes = []string{"azureActiveDirectoryTenant", "crossCloudAzureActiveDirectoryTenant",
	"domainIdentitySource", "externalDomainFederation", "socialIdentitySource"}

var connectedOrgFilterable = []string{"id", "displayName", "description", "state", "createdDateTime", "modifiedDateTime",
	coFilterDomain, coFilterTenant, coFilterType}

// Filter view keys standing for identitySources/any(x:x/domainName eq '…') and
// identitySources/any(x:x/tenantId eq '…') after rewriting (see rewriteSourceLambda).
const (
	coFilterDomain = "_source_domainName"
	coFilterTenant = "_source_tenantId"
	coFilterType   = "_source_type" // the source's type, leaf name (azureActiveDirectoryTenant)
)

func (s *API) connectedOrgRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/connectedOrganizations", map[string]route.Handler{
		http.MethodGet:  s.listConnectedOrgs,
		http.MethodPost: s.createConnectedOrg,
	})
	t.Add(route.Graph, permission, prefix+"/connectedOrganizations/{id}", map[string]route.Handler{
		http.MethodGet:    s.getConnectedOrg,
		http.MethodPatch:  s.updateConnectedOrg,
		http.MethodDelete: s.deleteConnectedOrg,
	})
	for _, kind := range []string{SponsorsInternal, SponsorsExternal} {
		t.Add(route.Graph, permission, prefix+"/connectedOrganizations/{id}/"+kind, map[string]route.Handler{
			http.MethodGet: s.listSponsorsHandler(kind),
		})
		t.Add(route.Graph, permission, prefix+"/connectedOrganizations/{id}/"+kind+"/$ref", map[string]route.Handler{
			http.MethodPost: s.addSponsorHandler(kind),
		})
		t.Add(route.Graph, permission, prefix+"/connectedOrganizations/{id}/"+kind+"/{objectId}/$ref", map[string]route.Handler{
			http.MethodDelete: s.removeSponsorHandler(kind),
		})
	}
	t.Add(route.Control, nil, "/_emulator/sponsors/{orgId}/{kind}/{objectId}", map[string]route.Handler{
		http.MethodPost:   s.ctlAddSponsor,
		http.MethodDelete: s.ctlRemoveSponsor,
	})
	t.Add(route.Control, nil, "/_emulator/partnerTenants", map[string]route.Handler{
		http.MethodPost: s.ctlAddPartnerTenant,
	})
}

func (s *API) connectedOrgContext(r *http.Request) string {
	return wire.EntityContext(r, "identityGovernance/entitlementManagement/connectedOrganizations")
}

// ---- identity sources ----

var dnsLabelRE = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)

// validDomainName accepts DNS names with at least two labels (fabrikam.com).
func validDomainName(d string) bool {
	d = strings.TrimSuffix(d, ".")
	if len(d) == 0 || len(d) > 253 {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !dnsLabelRE.MatchString(l) {
			return false
		}
	}
	// The top-level label is not all digits (that would be an IP address).
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// parseIdentitySource validates one identitySource and returns its canonical form
// (@odata.type with '#microsoft.graph.') and its duplicate key.
//
// displayName is read-only on every identitySource subtype's page and nullable in the v1.0
// metadata; the create example still sends it. Sent, it is kept; omitted (or null), the service
// fills it: the domain name for domain and federation sources
// (https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/resources/externaldomainfederation?view=graph-rest-1.0), the
// tenant's name for a known tenant, else its id
// (https://learn.microsoft.com/graph/api/resources/azureactivedirectorytenant?view=graph-rest-1.0),
// the social type for a social source
// (https://learn.microsoft.com/graph/api/resources/socialidentitysource?view=graph-rest-1.0).
func (s *API) parseIdentitySource(path string, v any) (map[string]any, string, error) {
	o, err := wire.NewObject(path, "identitySource", v)
	if err != nil {
		return nil, "", err
	}
	leaf, err := o.PolyType("identitySource", identitySourceTypes)
	if err != nil {
		return nil, "", err
	}
	o.Type = leaf
	out := map[string]any{"@odata.type": "#" + wire.GraphNamespace + leaf}
	sent, err := o.NullableStr("displayName")
	if err != nil {
		return nil, "", err
	}
	display, _ := sent.(string)
	display = strings.TrimSpace(display)
	var key, fill string
	switch leaf {
	case "azureActiveDirectoryTenant", "crossCloudAzureActiveDirectoryTenant":
		tid, _, err := o.Str("tenantId", true, true)
		if err != nil {
			return nil, "", err
		}
		if _, perr := uuid.Parse(tid); perr != nil {
			return nil, "", wire.PathError(o.At("tenantId"), "'%s' is not a valid tenant id (a GUID).", tid)
		}
		out["tenantId"] = strings.ToLower(tid)
		key = "tenant:" + strings.ToLower(tid)
		fill = strings.ToLower(tid)
		if name, known := s.tenantName(tid); known && leaf == "azureActiveDirectoryTenant" {
			fill = name
		}
		if leaf == "crossCloudAzureActiveDirectoryTenant" {
			ci, _, err := o.Str("cloudInstance", true, true)
			if err != nil {
				return nil, "", err
			}
			out["cloudInstance"] = ci
		}
	case "domainIdentitySource", "externalDomainFederation":
		dn, _, err := o.Str("domainName", true, true)
		if err != nil {
			return nil, "", err
		}
		dn = strings.TrimSpace(dn)
		if !validDomainName(dn) {
			return nil, "", wire.PathError(o.At("domainName"), "'%s' is not a valid domain name.", dn)
		}
		out["domainName"] = dn
		key = "domain:" + strings.ToLower(strings.TrimSuffix(dn, "."))
		fill = dn
		if leaf == "externalDomainFederation" {
			iu, _, err := o.Str("issuerUri", true, true)
			if err != nil {
				return nil, "", err
			}
			u, perr := url.Parse(strings.TrimSpace(iu))
			if perr != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" {
				return nil, "", wire.PathError(o.At("issuerUri"), "'%s' is not a valid https URL.", iu)
			}
			out["issuerUri"] = strings.TrimSpace(iu)
		}
	case "socialIdentitySource":
		v, ok := o.Get("socialIdentitySourceType")
		if !ok {
			return nil, "", wire.PathError(o.At("socialIdentitySourceType"), "the property is required on type 'microsoft.graph.socialIdentitySource'.")
		}
		st, err := wire.Enum(o.At("socialIdentitySourceType"), v, []string{"facebook"})
		if err != nil {
			return nil, "", err
		}
		out["socialIdentitySourceType"] = st
		key = "social:" + st
		fill = st
	}
	if err := o.Done(); err != nil {
		return nil, "", err
	}
	if leaf == "domainIdentitySource" {
		if tid, name, known := s.tenantOfDomain(out["domainName"].(string)); known {
			// The domain is a verified domain of a known tenant: Graph stores the tenant.
			return map[string]any{"@odata.type": "#" + wire.GraphNamespace + "azureActiveDirectoryTenant",
				"tenantId": tid, "displayName": name}, "tenant:" + tid, nil
		}
	}
	if display == "" {
		display = fill
	}
	out["displayName"] = display
	return out, key, nil
}

// parseIdentitySources reads the identitySources array: exactly one element (spec 1.8 [D]).
func (s *API) parseIdentitySources(v any) (map[string]any, string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, "", wire.PathError("identitySources", "expected a JSON array, got '%s'.", wire.Literal(v))
	}
	if len(list) != 1 {
		return nil, "", wire.PathError("identitySources", "exactly one identity source is required, got %d.", len(list))
	}
	return s.parseIdentitySource(wire.Index("identitySources", 0), list[0])
}

// identitySourceKey is the duplicate key of a stored organization's source.
func identitySourceKey(doc map[string]any) string {
	for _, x := range wire.AnySlice(doc["identitySources"]) {
		m, ok := x.(map[string]any)
		if !ok {
			continue
		}
		if tid := wire.StrField(m, "tenantId"); tid != "" {
			return "tenant:" + strings.ToLower(tid)
		}
		if dn := wire.StrField(m, "domainName"); dn != "" {
			return "domain:" + strings.ToLower(strings.TrimSuffix(dn, "."))
		}
		if st := wire.StrField(m, "socialIdentitySourceType"); st != "" {
			return "social:" + strings.ToLower(st)
		}
	}
	return ""
}

// checkSourceUnique refuses a source another organization already has. Callers hold the write lock (Deps.WriteMu).
func (s *API) checkSourceUnique(key, selfID string) error {
	if key == "" {
		return nil
	}
	recs, err := s.Store.List(collConnectedOrgs)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.ID != store.NormID(selfID) && identitySourceKey(rec.Body) == key {
			return wire.BadRequest(msgDuplicateIdentitySource)
		}
	}
	return nil
}

// splitConnectedOrgBody separates identitySources and refuses the sponsor navigations.
func splitConnectedOrgBody(body map[string]any) (rest map[string]any, sources any, hasSources bool, err error) {
	rest = make(map[string]any, len(body))
	for k, v := range body {
		switch k {
		case "identitySources":
			sources, hasSources = v, true
		case SponsorsInternal, SponsorsExternal:
			return nil, nil, false, wire.BadRequest(fmt.Sprintf("The property '%s' cannot be set in the body; add sponsors with POST .../%s/$ref.", k, k))
		default:
			rest[k] = v
		}
	}
	return rest, sources, hasSources, nil
}

// ---- handlers ----

// sourceLambdaRE matches identitySources/any(x: x/domainName eq '…') (or tenantId), with an
// optional type cast of the range variable, x/microsoft.graph.azureActiveDirectoryTenant/tenantId, the
// form https://learn.microsoft.com/graph/api/entitlementmanagement-list-connectedorganizations?view=graph-rest-1.0
// documents.
var sourceLambdaRE = regexp.MustCompile(`(?i)identitySources/any\(\s*([a-z_][a-z0-9_]*)\s*:\s*([a-z_][a-z0-9_]*)/(?:microsoft\.graph\.([a-z]+)/)?(domainName|tenantId)\s+eq\s+('(?:[^']|'')*')\s*\)`)

// rewriteSourceLambda turns the any() lambdas over identitySources into comparisons
// of the filter view's synthetic keys (an organization has exactly one source).
func rewriteSourceLambda(f string) (string, error) {
	var bad error
	out := sourceLambdaRE.ReplaceAllStringFunc(f, func(m string) string {
		sm := sourceLambdaRE.FindStringSubmatch(m)
		if !strings.EqualFold(sm[1], sm[2]) {
			bad = wire.BadRequest(fmt.Sprintf("Invalid filter clause: the range variable '%s' is not defined.", sm[2]))
			return m
		}
		key := coFilterDomain
		if strings.EqualFold(sm[4], "tenantId") {
			key = coFilterTenant
		}
		if sm[3] == "" {
			return key + " eq " + sm[5]
		}
		// The cast keeps the sources of that type (or a subtype: identitySource's subtypes derive
		// from it directly, so only the type itself) that have the property.
		leaf := ""
		for _, t := range identitySourceTypes {
			if strings.EqualFold(t, sm[3]) {
				leaf = t
			}
		}
		if leaf == "" {
			bad = wire.BadRequest(fmt.Sprintf("Invalid filter clause: 'microsoft.graph.%s' is not a type derived from 'microsoft.graph.identitySource'.", sm[3]))
			return m
		}
		return "(" + coFilterType + " eq '" + leaf + "' and " + key + " eq " + sm[5] + ")"
	})
	return out, bad
}

func connectedOrgView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+2)
	for k, x := range rec.Body {
		v[k] = x
	}
	for _, x := range wire.AnySlice(rec.Body["identitySources"]) {
		if m, ok := x.(map[string]any); ok {
			v[coFilterDomain] = strings.TrimSuffix(wire.StrField(m, "domainName"), ".")
			v[coFilterTenant] = wire.StrField(m, "tenantId")
			v[coFilterType] = strings.TrimPrefix(wire.StrField(m, "@odata.type"), "#"+wire.GraphNamespace)
		}
	}
	return v
}

func (s *API) listConnectedOrgs(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	q := r.URL.Query()
	for k, vals := range q {
		if strings.EqualFold(k, "$filter") && len(vals) > 0 {
			f, err := rewriteSourceLambda(vals[0])
			if err != nil {
				return err
			}
			vals[0] = f
		}
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	cq, err := s.ParseQuery(r2, connectedOrgFilterable)
	if err != nil {
		return err
	}
	if err := refuseConnectedOrgExpand(r); err != nil {
		return err
	}
	recs, err := s.Store.List(collConnectedOrgs)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), connectedOrgView, func(v map[string]any, sel []string) map[string]any {
		return odata.ApplySelect(wire.Public(v), sel)
	}, "identityGovernance/entitlementManagement/connectedOrganizations")
	return nil
}

// refuseConnectedOrgExpand answers $expand on a connected organization with 400. The
// connectedOrganization pages document no $expand
// (https://learn.microsoft.com/graph/api/connectedorganization-get?view=graph-rest-1.0); the sponsors
// are read from their own lists
// (https://learn.microsoft.com/graph/api/connectedorganization-list-internalsponsors?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/connectedorganization-list-externalsponsors?view=graph-rest-1.0),
// paged. What Graph answers is not documented: refusing keeps an undocumented form from looking safe.
func refuseConnectedOrgExpand(r *http.Request) error {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, "$expand") && len(v) > 0 {
			return wire.BadRequest("Expanding navigation properties of connectedOrganization is not supported; read GET .../connectedOrganizations/{id}/internalSponsors and .../externalSponsors.")
		}
	}
	return nil
}

func (s *API) createConnectedOrg(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	rest, sources, hasSources, err := splitConnectedOrgBody(body)
	if err != nil {
		return err
	}
	in, err := connectedOrgType.Validate(rest, true)
	if err != nil {
		return err
	}
	if !hasSources || sources == nil {
		return wire.RequiredProperty("identitySources", typeConnectedOrg)
	}
	src, key, err := s.parseIdentitySources(sources)
	if err != nil {
		return err
	}
	now := s.Timestamp()
	doc := map[string]any{
		"id":               uuid.NewString(),
		"displayName":      in["displayName"],
		"description":      in["description"],
		"identitySources":  []any{src},
		"state":            "configured", // default when omitted [U]
		"createdDateTime":  now,
		"modifiedDateTime": now,
		ifInternalSponsors: []any{},
		ifExternalSponsors: []any{},
	}
	if v, ok := in["state"]; ok {
		doc["state"] = v
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.checkSourceUnique(key, ""); err != nil {
		return err
	}
	id := doc["id"].(string)
	if err := s.Store.Insert(collConnectedOrgs, id, doc, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/connectedOrganizations/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(wire.Public(doc), s.connectedOrgContext(r)))
	return nil
}

func (s *API) getConnectedOrg(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if err := refuseConnectedOrgExpand(r); err != nil {
		return err
	}
	rec, err := s.GetVisible(collConnectedOrgs, p["id"])
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(odata.ApplySelect(wire.Public(rec.Body), odata.SelectList(r)), s.connectedOrgContext(r)))
	return nil
}

func (s *API) updateConnectedOrg(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	rest, sources, hasSources, err := splitConnectedOrgBody(body)
	if err != nil {
		return err
	}
	in, err := connectedOrgType.Validate(rest, false)
	if err != nil {
		return err
	}
	var src map[string]any
	var key string
	if hasSources {
		if sources == nil {
			return wire.BadRequest("Invalid value for property 'identitySources': a null value is not allowed.")
		}
		if src, key, err = s.parseIdentitySources(sources); err != nil {
			return err
		}
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(collConnectedOrgs, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	if hasSources {
		if err := s.checkSourceUnique(key, rec.ID); err != nil {
			return err
		}
	}
	var updated map[string]any
	err = s.Store.Update(collConnectedOrgs, rec.ID, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		if hasSources {
			obj["identitySources"] = []any{src}
		}
		obj["modifiedDateTime"] = s.Timestamp()
		updated = obj
		return nil
	})
	if err != nil {
		return err
	}
	// https://learn.microsoft.com/graph/api/connectedorganization-update?view=graph-rest-1.0:
	// 202 Accepted with the connectedOrganization in the body.
	wire.WriteJSON(w, http.StatusAccepted, wire.WithContext(wire.Public(updated), s.connectedOrgContext(r)))
	return nil
}

// policiesTargetingOrg lists the ids of the assignment policies whose subject sets
// name the connected organization.
func (s *API) policiesTargetingOrg(orgID string) []string {
	recs, err := s.Store.List(AssignmentPolicies)
	if err != nil {
		return nil
	}
	var out []string
	for _, rec := range recs {
		if mentionsConnectedOrg(rec.Body, orgID) {
			out = append(out, wire.StrField(rec.Body, "id"))
		}
	}
	return out
}

func mentionsConnectedOrg(v any, orgID string) bool {
	switch x := v.(type) {
	case map[string]any:
		if id := wire.StrField(x, "connectedOrganizationId"); id != "" && strings.EqualFold(id, orgID) {
			return true
		}
		for _, y := range x {
			if mentionsConnectedOrg(y, orgID) {
				return true
			}
		}
	case []any:
		for _, y := range x {
			if mentionsConnectedOrg(y, orgID) {
				return true
			}
		}
	}
	return false
}

func (s *API) deleteConnectedOrg(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(collConnectedOrgs, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	if ids := s.policiesTargetingOrg(rec.ID); len(ids) > 0 {
		return wire.BadRequest(fmt.Sprintf("The connected organization cannot be deleted because assignment policies target it (%s). Remove it from the policies first.", strings.Join(ids, ", ")))
	}
	if err := s.Store.Delete(collConnectedOrgs, rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- sponsors ----

func sponsorField(kind string) (string, error) {
	switch {
	case strings.EqualFold(kind, SponsorsInternal):
		return ifInternalSponsors, nil
	case strings.EqualFold(kind, SponsorsExternal):
		return ifExternalSponsors, nil
	}
	return "", fmt.Errorf("emulator: sponsor kind %q: want %q or %q", kind, SponsorsInternal, SponsorsExternal)
}

func sponsorKindName(kind string) string {
	if strings.EqualFold(kind, SponsorsExternal) {
		return SponsorsExternal
	}
	return SponsorsInternal
}

// sponsorObjects returns the sponsors of an organization document as directoryObjects
// (users and groups deleted since are skipped).
func (s *API) sponsorObjects(doc map[string]any, kind string) []map[string]any {
	field, err := sponsorField(kind)
	if err != nil {
		return nil
	}
	var out []map[string]any
	for _, id := range wire.StrList(doc[field]) {
		coll, rec, err := s.dir.Find(id, false)
		if err != nil {
			continue
		}
		out = append(out, directory.ObjectOut(coll, rec.Body))
	}
	return out
}

// addSponsorLocked adds a user or group to a sponsor list. Callers hold the write lock (Deps.WriteMu).
func (s *API) addSponsorLocked(orgID, kind, coll, objectID string) error {
	field, err := sponsorField(kind)
	if err != nil {
		return err
	}
	if _, err := s.Store.Get(collConnectedOrgs, orgID); errors.Is(err, store.ErrNotFound) {
		return &wire.SentinelError{API: wire.NotFound(orgID), Sentinel: store.ErrNotFound}
	} else if err != nil {
		return err
	}
	if coll == "" {
		coll = "directoryObjects"
	}
	found, obj, err := s.dir.ResolveRef(coll, objectID)
	if err != nil {
		return err
	}
	if found != directory.Users && found != directory.Groups {
		return directory.BadRequest(fmt.Sprintf("Only users and groups can be %s of a connected organization.", sponsorKindName(kind)))
	}
	return s.Store.Update(collConnectedOrgs, orgID, func(doc map[string]any) error {
		ids := wire.StrList(doc[field])
		if containsID(ids, obj.ID) {
			return &wire.SentinelError{API: directory.BadRequest(fmt.Sprintf("One or more added object references already exist for the following modified properties: '%s'.", sponsorKindName(kind))),
				Sentinel: directory.ErrAlreadyMember}
		}
		doc[field] = wire.AnyList(append(ids, obj.ID))
		return nil
	})
}

// removeSponsorLocked removes a sponsor. Callers hold the write lock (Deps.WriteMu).
func (s *API) removeSponsorLocked(orgID, kind, objectID string) error {
	field, err := sponsorField(kind)
	if err != nil {
		return err
	}
	err = s.Store.Update(collConnectedOrgs, orgID, func(doc map[string]any) error {
		ids := wire.StrList(doc[field])
		if !containsID(ids, objectID) {
			return &wire.SentinelError{API: &wire.Error{Status: http.StatusNotFound, Code: directory.CodeNotFound,
				Message: "Resource '" + objectID + "' does not exist or one of its queried reference-property objects are not present."}, Sentinel: directory.ErrNotMember}
		}
		doc[field] = wire.AnyList(removeID(ids, objectID))
		return nil
	})
	if errors.Is(err, store.ErrNotFound) && !errors.Is(err, directory.ErrNotMember) {
		return &wire.SentinelError{API: wire.NotFound(orgID), Sentinel: store.ErrNotFound}
	}
	return err
}

// AddSponsor adds a user or group (by object id) to the internalSponsors or
// externalSponsors (kind: SponsorsInternal, SponsorsExternal) of a connected
// organization, as POST .../{kind}/$ref does. Errors match store.ErrNotFound (unknown
// organization or object) or ErrAlreadyMember with errors.Is.
func (s *API) AddSponsor(orgID, kind, objectID string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := uuid.Parse(objectID); err != nil {
		return fmt.Errorf("emulator: sponsor %q: %w", objectID, store.ErrNotFound)
	}
	return s.addSponsorLocked(orgID, kind, "", strings.ToLower(objectID))
}

// RemoveSponsor removes a sponsor, as DELETE .../{kind}/{objectId}/$ref does. Errors
// match store.ErrNotFound (unknown organization) or directory.ErrNotMember with errors.Is.
func (s *API) RemoveSponsor(orgID, kind, objectID string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.removeSponsorLocked(orgID, kind, objectID)
}

func (s *API) listSponsorsHandler(kind string) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		rec, err := s.GetVisible(collConnectedOrgs, p["id"])
		if err != nil {
			return err
		}
		cq, err := s.ParseQuery(r, directory.MemberFilterable)
		if err != nil {
			return err
		}
		objs := s.sponsorObjects(rec.Body, kind)
		recs := make([]*store.Record, 0, len(objs))
		for i, o := range objs {
			recs = append(recs, &store.Record{Seq: int64(i + 1), ID: wire.StrField(o, "id"), Body: o})
		}
		odata.WriteCollection(w, r, cq, recs, "directoryObjects", nil)
		return nil
	}
}

func (s *API) addSponsorHandler(kind string) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		body, err := wire.ReadBody(r)
		if err != nil {
			return err
		}
		s.WriteMu.Lock()
		defer s.WriteMu.Unlock()
		if _, err := s.Store.Get(collConnectedOrgs, p["id"]); errors.Is(err, store.ErrNotFound) {
			return wire.NotFound(p["id"])
		} else if err != nil {
			return err
		}
		coll, id, err := directory.ParseRef(body)
		if err != nil {
			return err
		}
		if err := s.addSponsorLocked(p["id"], kind, coll, id); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *API) removeSponsorHandler(kind string) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		s.WriteMu.Lock()
		defer s.WriteMu.Unlock()
		if _, err := s.Store.Get(collConnectedOrgs, p["id"]); errors.Is(err, store.ErrNotFound) {
			return wire.NotFound(p["id"])
		} else if err != nil {
			return err
		}
		if err := s.removeSponsorLocked(p["id"], kind, p["objectId"]); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *API) ctlAddSponsor(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if _, err := sponsorField(p["kind"]); err != nil {
		return wire.BadRequest(err.Error())
	}
	if err := s.AddSponsor(p["orgId"], p["kind"], p["objectId"]); err != nil {
		var ae *wire.Error
		if errors.As(err, &ae) {
			return ae
		}
		return route.ControlError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) ctlRemoveSponsor(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if _, err := sponsorField(p["kind"]); err != nil {
		return wire.BadRequest(err.Error())
	}
	if err := s.RemoveSponsor(p["orgId"], p["kind"], p["objectId"]); err != nil {
		var ae *wire.Error
		if errors.As(err, &ae) {
			return ae
		}
		return route.ControlError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
