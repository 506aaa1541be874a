package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Catalog contents (spec 1.2): resources enter and leave a catalog only through
// resourceRequests; each onboarded resource gets its own id, roles and scopes per catalog.

// Collection names used in the store and by the control methods.
const (
	collResourceRequests = "resourceRequests"
	collCatalogResources = "catalogResources"
	collCatalogRoles     = "catalogResourceRoles"
	collCatalogScopes    = "catalogResourceScopes"
	AccessPackages       = "accessPackages"
	collRoleScopes       = "resourceRoleScopes"
	AssignmentPolicies   = "assignmentPolicies"
	collAssignments      = "assignments"
)

// Internal document fields. Every key starting with '_' is bookkeeping and is removed
// from API output by wire.Public.
const (
	ifCatalogID            = "_catalogId"
	ifResourceID           = "_resourceId"
	ifAccessPackageID      = "_accessPackageId"
	ifRoleID               = "_roleId"
	ifScopeID              = "_scopeId"
	ifResourceSnapshot     = "_resource"
	ifIncompatiblePackages = "_incompatibleAccessPackages"
	ifIncompatibleGroups   = "_incompatibleGroups"
)

const (
	originAadGroup       = "AadGroup"
	originAadApplication = "AadApplication"
	originSharePoint     = "SharePointOnline"

	defaultAccessRoleID = "00000000-0000-0000-0000-000000000000"

	codeCallerNotResourceOwner   = "CallerNotResourceOwner"
	codeInvalidDeleteHasEntitled = "InvalidDeleteResourceHasEntitlements"
)

var originSystems = []string{originAadGroup, originAadApplication, originSharePoint}

// accessPackageRequestType members (spec 1.2); resource requests take the admin ones.
var (
	resourceRequestTypes = []string{"adminAdd", "adminUpdate", "adminRemove"}
	allRequestTypes      = []string{"userAdd", "userUpdate", "userRemove", "adminAdd", "adminUpdate", "adminRemove",
		"systemAdd", "systemUpdate", "systemRemove", "onBehalfAdd", "unknownFutureValue"}
)

const (
	typeResourceRequest = "microsoft.graph.accessPackageResourceRequest"
	typeResource        = "microsoft.graph.accessPackageResource"
	typeResourceRole    = "microsoft.graph.accessPackageResourceRole"
	typeResourceScope   = "microsoft.graph.accessPackageResourceScope"
	typeCatalog         = "microsoft.graph.accessPackageCatalog"
	typeEnvironment     = "microsoft.graph.accessPackageResourceEnvironment"
)

// Properties of accessPackageResource accepted inside a resource request body.
var resourceInputProps = map[string]bool{
	"id": true, "displayName": true, "description": true, "originId": true, "originSystem": true,
	"createdDateTime": true, "modifiedDateTime": true, "attributes": true, "environment": true,
	"roles": true, "scopes": true,
}

func (s *API) resourceRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/resourceRequests", map[string]route.Handler{
		http.MethodGet:  s.listResourceRequests,
		http.MethodPost: s.createResourceRequest,
	})
	t.Add(route.Graph, permission, prefix+"/resourceRequests/{id}", map[string]route.Handler{http.MethodGet: s.getResourceRequest})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/resources", map[string]route.Handler{http.MethodGet: s.listCatalogResources})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/resources/{resId}", map[string]route.Handler{http.MethodGet: s.getCatalogResource})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/resources/{resId}/roles", map[string]route.Handler{http.MethodGet: s.listResourceRolesOfResource})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/resources/{resId}/scopes", map[string]route.Handler{http.MethodGet: s.listResourceScopesOfResource})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/resourceRoles", map[string]route.Handler{http.MethodGet: s.listCatalogResourceRoles})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/resourceScopes", map[string]route.Handler{http.MethodGet: s.listCatalogResourceScopes})
}

// ---- small helpers shared by the entitlement files ----

// childRecords lists the records of a collection whose internal field equals value.
func (s *API) childRecords(collection, field, value string) ([]*store.Record, error) {
	recs, err := s.Store.List(collection)
	if err != nil {
		return nil, err
	}
	var out []*store.Record
	for _, rec := range recs {
		if strings.EqualFold(wire.StrField(rec.Body, field), value) {
			out = append(out, rec)
		}
	}
	return out, nil
}

func sortBySeq(recs []*store.Record) {
	sort.Slice(recs, func(i, j int) bool { return recs[i].Seq < recs[j].Seq })
}

// navContext is the @odata.context path of a contained collection: parent('id')/nav.
func navContext(parent, id, nav string) string {
	return "identityGovernance/entitlementManagement/" + parent + "('" + id + "')/" + nav
}

// writeList filters, pages and writes a collection whose records carry filter views as
// bodies; render turns a view into the output object (applying sel before expanding).
func (s *API) writeList(w http.ResponseWriter, r *http.Request, cq *odata.Query, recs []*store.Record,
	view func(*store.Record) map[string]any, render func(view map[string]any, sel []string) map[string]any, contextPath string) {
	sel := cq.Selects
	cq.Selects = nil // applied by render, before the expansions, which $select must not drop
	views := make([]*store.Record, 0, len(recs))
	for _, rec := range recs {
		views = append(views, &store.Record{Seq: rec.Seq, ID: rec.ID, Body: view(rec), CreatedAt: rec.CreatedAt})
	}
	odata.WriteCollection(w, r, cq, views, contextPath, func(b map[string]any) map[string]any { return render(b, sel) })
}

func canonicalOriginSystem(v string) (string, bool) {
	for _, o := range originSystems {
		if strings.EqualFold(o, v) {
			return o, true
		}
	}
	return "", false
}

// sameOrigin compares origin ids as the origin system does: GUIDs and names case-
// insensitively, site URLs also ignoring a trailing slash.
func sameOrigin(system, a, b string) bool {
	if system == originSharePoint {
		return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
	}
	return strings.EqualFold(a, b)
}

// ---- resource requests ----

func (s *API) listResourceRequests(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, []string{"id", "requestType", "state", "catalog/id", "resource/id", "resource/originId"})
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typeResourceRequest)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(collResourceRequests)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), resourceRequestView, func(v map[string]any, sel []string) map[string]any {
		return s.renderResourceRequest(v, items, sel)
	}, "identityGovernance/entitlementManagement/resourceRequests")
	return nil
}

func resourceRequestView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+2)
	for k, x := range rec.Body {
		v[k] = x
	}
	v["catalog"] = map[string]any{"id": wire.StrField(rec.Body, ifCatalogID)}
	res, _ := rec.Body[ifResourceSnapshot].(map[string]any)
	v["resource"] = map[string]any{"id": wire.StrField(rec.Body, ifResourceID), "originId": wire.StrField(res, "originId")}
	return v
}

func (s *API) getResourceRequest(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typeResourceRequest)
	if err != nil {
		return err
	}
	rec, err := s.GetVisible(collResourceRequests, p["id"])
	if err != nil {
		return err
	}
	out := s.renderResourceRequest(rec.Body, items, odata.SelectList(r))
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, wire.EntityContext(r, "identityGovernance/entitlementManagement/resourceRequests")))
	return nil
}

func (s *API) renderResourceRequest(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	out := odata.ApplySelect(wire.Public(doc), sel)
	delete(out, "catalog")
	delete(out, "resource")
	for _, it := range items {
		switch it.Name {
		case "catalog":
			out["catalog"] = nil
			if rec, err := s.Store.Get(Catalogs, wire.StrField(doc, ifCatalogID)); err == nil {
				out["catalog"] = odata.ApplySelect(wire.Public(rec.Body), it.Selects)
			}
		case "resource":
			// The live resource while it is in the catalog, else what the request saw.
			if rec, err := s.Store.Get(collCatalogResources, wire.StrField(doc, ifResourceID)); err == nil {
				out["resource"] = s.renderResource(rec.Body, it.Nested, it.Selects)
			} else if snap, ok := doc[ifResourceSnapshot].(map[string]any); ok {
				out["resource"] = odata.ApplySelect(wire.Public(snap), it.Selects)
			} else {
				out["resource"] = nil
			}
		}
	}
	return out
}

func (s *API) createResourceRequest(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	claims := identity.ClaimsFrom(r)
	if err := checkResourceRequestProps(body); err != nil {
		return err
	}
	requestType, err := parseResourceRequestType(body)
	if err != nil {
		return err
	}
	catalogID, err := parseResourceRequestCatalog(body)
	if err != nil {
		return err
	}
	res, err := parseResourceRequestResource(body)
	if err != nil {
		return err
	}

	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	catRec, err := s.Store.Get(Catalogs, catalogID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(catalogID)
	}
	if err != nil {
		return err
	}
	catalogID = catRec.ID
	var resource map[string]any
	switch requestType {
	case "adminAdd":
		resource, err = s.onboardResource(claims, catalogID, res)
	case "adminRemove":
		resource, err = s.offboardResource(catalogID, res)
	case "adminUpdate":
		resource, err = s.updateCatalogResource(catalogID, res)
	}
	if err != nil {
		return err
	}
	now := s.Timestamp()
	doc := map[string]any{
		"id":               uuid.NewString(),
		"requestType":      requestType,
		"state":            "delivered",
		"createdDateTime":  now,
		ifCatalogID:        catalogID,
		ifResourceID:       resource["id"],
		ifResourceSnapshot: wire.Public(resource),
	}
	if err := s.Store.Insert(collResourceRequests, doc["id"].(string), doc, s.Now()); err != nil {
		return err
	}
	out := s.renderResourceRequest(doc, nil, nil)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(out, wire.EntityContext(r, "identityGovernance/entitlementManagement/resourceRequests")))
	return nil
}

// checkResourceRequestProps rejects a top-level property the accessPackageResourceRequest
// type does not have (annotations are skipped).
func checkResourceRequestProps(body map[string]any) error {
	for k := range body {
		if strings.Contains(k, "@") {
			continue
		}
		switch k {
		case "id", "state", "createdDateTime", "requestType", "resource", "catalog":
		default:
			return wire.UnknownProperty(k, typeResourceRequest)
		}
	}
	return nil
}

// parseResourceRequestType reads the required requestType, matched without regard to case;
// a request type of another entity names itself as unsupported for resource requests.
func parseResourceRequestType(body map[string]any) (string, error) {
	rtRaw, present, err := wire.BodyString(body, "requestType")
	if err != nil {
		return "", err
	}
	if !present {
		return "", wire.RequiredProperty("requestType", typeResourceRequest)
	}
	requestType := ""
	for _, m := range resourceRequestTypes {
		if strings.EqualFold(m, rtRaw) {
			requestType = m
		}
	}
	if requestType == "" {
		for _, m := range allRequestTypes {
			if strings.EqualFold(m, rtRaw) {
				return "", wire.BadRequest(fmt.Sprintf("The request type '%s' is not supported for resource requests. Valid values: %s.", m, strings.Join(resourceRequestTypes, ", ")))
			}
		}
		return "", wire.BadEnum("requestType", rtRaw, resourceRequestTypes)
	}
	return requestType, nil
}

// parseResourceRequestCatalog reads the required catalog binding and returns its id.
func parseResourceRequestCatalog(body map[string]any) (string, error) {
	cat, present, err := wire.BodyObject(body, "catalog")
	if err != nil {
		return "", err
	}
	if !present {
		return "", wire.RequiredProperty("catalog", typeResourceRequest)
	}
	catalogID, _, err := wire.BodyString(cat, "id")
	if err != nil {
		return "", err
	}
	if catalogID == "" {
		return "", wire.BadRequest("The property 'catalog' must carry the 'id' of an existing catalog.")
	}
	return catalogID, nil
}

// parseResourceRequestResource reads the required resource object and rejects a property
// the accessPackageResource input does not take (annotations are skipped).
func parseResourceRequestResource(body map[string]any) (map[string]any, error) {
	res, present, err := wire.BodyObject(body, "resource")
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, wire.RequiredProperty("resource", typeResourceRequest)
	}
	for k := range res {
		if !strings.Contains(k, "@") && !resourceInputProps[k] {
			return nil, wire.UnknownProperty(k, typeResource)
		}
	}
	return res, nil
}

func callerNotOwner() error {
	return &wire.Error{Status: http.StatusBadRequest, Code: codeCallerNotResourceOwner, Message: "The caller is not the resource owner."}
}

// resourceOrigin reads originSystem and originId of a resource request body.
func resourceOrigin(res map[string]any) (system, originID string, err error) {
	sysRaw, present, err := wire.BodyString(res, "originSystem")
	if err != nil {
		return "", "", err
	}
	if !present || sysRaw == "" {
		return "", "", wire.RequiredProperty("originSystem", typeResource)
	}
	system, ok := canonicalOriginSystem(sysRaw)
	if !ok {
		return "", "", wire.BadRequest(fmt.Sprintf("The originSystem '%s' is not supported. Valid values: %s.", sysRaw, strings.Join(originSystems, ", ")))
	}
	originID, present, err = wire.BodyString(res, "originId")
	if err != nil {
		return "", "", err
	}
	if !present || strings.TrimSpace(originID) == "" {
		return "", "", wire.RequiredProperty("originId", typeResource)
	}
	return system, strings.TrimSpace(originID), nil
}

// findCatalogResource returns the resource of a catalog with the given origin, or nil.
func (s *API) findCatalogResource(catalogID, system, originID string) (*store.Record, error) {
	recs, err := s.childRecords(collCatalogResources, ifCatalogID, catalogID)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if wire.StrField(rec.Body, "originSystem") == system && sameOrigin(system, wire.StrField(rec.Body, "originId"), originID) {
			return rec, nil
		}
	}
	return nil, nil
}

type originRole struct {
	originID, displayName string
	description           any
}

// onboardedOrigin is the resource an origin system answers for an adminAdd request: its
// canonical origin id, display name, description and roles.
type onboardedOrigin struct {
	originID, displayName string
	description           any
	roles                 []originRole
}

// onboardResource adds a resource with its roles and root scope to a catalog (adminAdd).
func (s *API) onboardResource(claims *identity.Claims, catalogID string, res map[string]any) (map[string]any, error) {
	system, originID, err := resourceOrigin(res)
	if err != nil {
		return nil, err
	}
	displayName, _, err := wire.BodyString(res, "displayName")
	if err != nil {
		return nil, err
	}
	var description, sentDescription any
	if d, present, err := wire.BodyString(res, "description"); err != nil {
		return nil, err
	} else if present {
		description, sentDescription = d, d
	}
	o := &onboardedOrigin{originID: originID, displayName: displayName, description: description}
	switch system {
	case originAadGroup:
		err = s.resolveGroupOrigin(claims, o)
	case originAadApplication:
		err = s.resolveApplicationOrigin(claims, o)
	case originSharePoint:
		err = resolveSharePointOrigin(o)
	}
	if err != nil {
		return nil, err
	}
	// A directory object without a description takes the one the request sent, as the resource of
	// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0
	// answers the description its resource request carried.
	if d, _ := o.description.(string); d == "" && sentDescription != nil {
		o.description = sentDescription
	}
	if dup, err := s.findCatalogResource(catalogID, system, o.originID); err != nil {
		return nil, err
	} else if dup != nil {
		return nil, wire.BadRequest("The resource is already in the catalog.")
	}
	return s.insertCatalogResource(catalogID, system, o)
}

// resolveGroupOrigin reads an AadGroup origin: the directory group (its id, displayName and
// description) and its Member and Owner roles.
func (s *API) resolveGroupOrigin(claims *identity.Claims, o *onboardedOrigin) error {
	originID := o.originID
	g, err := s.Store.Get(directory.Groups, originID)
	if errors.Is(err, store.ErrNotFound) {
		return &wire.Error{Status: http.StatusNotFound, Code: wire.CodeResourceNotFound,
			Message: fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present: no group with this id exists in the directory.", originID)}
	}
	if err != nil {
		return err
	}
	if !claims.HasRole("Group.ReadWrite.All") && !claims.HasRole("Directory.ReadWrite.All") {
		return callerNotOwner()
	}
	originID = g.ID
	o.originID = originID
	o.displayName, o.description = wire.StrField(g.Body, "displayName"), g.Body["description"]
	// The roles answer a description string, as in
	// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-resourceroles?view=graph-rest-1.0
	// (the text is ours).
	o.roles = []originRole{
		{originID: "Member_" + originID, displayName: "Member", description: "Member of the group"},
		{originID: "Owner_" + originID, displayName: "Owner", description: "Owner of the group"},
	}
	return nil
}

// resolveApplicationOrigin reads an AadApplication origin: the service principal (its id,
// displayName and description) and its app roles.
func (s *API) resolveApplicationOrigin(claims *identity.Claims, o *onboardedOrigin) error {
	originID := o.originID
	sp, err := s.Store.Get(directory.ServicePrincipals, originID)
	if errors.Is(err, store.ErrNotFound) {
		if s.isApplicationReference(originID) {
			return wire.BadRequest(fmt.Sprintf("The originId '%s' is not the object id of a service principal. Resources of originSystem 'AadApplication' are onboarded by the service principal object id, not by the application object id or appId.", originID))
		}
		return &wire.Error{Status: http.StatusNotFound, Code: wire.CodeResourceNotFound,
			Message: fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present: no service principal with this id exists in the directory.", originID)}
	}
	if err != nil {
		return err
	}
	if !claims.HasRole("Application.ReadWrite.All") && !claims.HasRole("Directory.ReadWrite.All") {
		return callerNotOwner()
	}
	o.originID = sp.ID
	o.displayName, o.description = wire.StrField(sp.Body, "displayName"), sp.Body["description"]
	o.roles = appRolesOf(sp.Body)
	return nil
}

// resolveSharePointOrigin reads a SharePointOnline origin: the site URL (its name when the
// request sent no displayName) and the site's default groups as roles.
func resolveSharePointOrigin(o *onboardedOrigin) error {
	site, err := parseSharePointSiteURL(o.originID)
	if err != nil {
		return err
	}
	o.originID = site.URL
	if strings.TrimSpace(o.displayName) == "" {
		o.displayName = site.Name
	}
	for _, g := range defaultSiteGroups(o.displayName) {
		o.roles = append(o.roles, originRole{originID: g.OriginID, displayName: g.DisplayName, description: g.Description})
	}
	return nil
}

// insertCatalogResource stores the onboarded resource in the catalog with its roles and
// its root scope.
func (s *API) insertCatalogResource(catalogID, system string, o *onboardedOrigin) (map[string]any, error) {
	originID, displayName, description, roles := o.originID, o.displayName, o.description, o.roles
	scopeDisplay, scopeDescription := "Root", any("Root Scope")
	now := s.Timestamp()
	created := s.Now()
	resource := map[string]any{
		"id":               uuid.NewString(),
		"displayName":      displayName,
		"description":      description,
		"originId":         originID,
		"originSystem":     system,
		"attributes":       []any{},
		"createdDateTime":  now,
		"modifiedDateTime": now,
		ifCatalogID:        catalogID,
	}
	if err := s.Store.Insert(collCatalogResources, resource["id"].(string), resource, created); err != nil {
		return nil, err
	}
	for _, ro := range roles {
		role := map[string]any{
			"id":           uuid.NewString(),
			"displayName":  ro.displayName,
			"description":  ro.description,
			"originId":     ro.originID,
			"originSystem": system,
			ifCatalogID:    catalogID,
			ifResourceID:   resource["id"],
		}
		if err := s.Store.Insert(collCatalogRoles, role["id"].(string), role, created); err != nil {
			return nil, err
		}
	}
	scope := map[string]any{
		"id":           uuid.NewString(),
		"displayName":  scopeDisplay,
		"description":  scopeDescription,
		"originId":     originID,
		"originSystem": system,
		"isRootScope":  true,
		ifCatalogID:    catalogID,
		ifResourceID:   resource["id"],
	}
	if err := s.Store.Insert(collCatalogScopes, scope["id"].(string), scope, created); err != nil {
		return nil, err
	}
	return resource, nil
}

// isApplicationReference reports whether id names an application object or an appId
// (a common mistake when onboarding AadApplication resources).
func (s *API) isApplicationReference(id string) bool {
	if _, err := s.Store.Get(directory.Applications, id); err == nil {
		return true
	}
	for _, coll := range []string{directory.Applications, directory.ServicePrincipals} {
		recs, err := s.Store.List(coll)
		if err != nil {
			continue
		}
		for _, rec := range recs {
			if strings.EqualFold(wire.StrField(rec.Body, "appId"), id) {
				return true
			}
		}
	}
	return false
}

// appRolesOf maps a service principal's enabled app roles to catalog roles; an SP
// without app roles exposes "Default Access" (spec 1.2 [U]).
func appRolesOf(sp map[string]any) []originRole {
	var out []originRole
	list, _ := sp["appRoles"].([]any)
	for _, x := range list {
		ar, ok := x.(map[string]any)
		if !ok {
			continue
		}
		if enabled, ok := ar["isEnabled"].(bool); ok && !enabled {
			continue
		}
		id := wire.StrField(ar, "id")
		if id == "" {
			continue
		}
		out = append(out, originRole{originID: id, displayName: wire.StrField(ar, "displayName"), description: ar["description"]})
	}
	if len(out) == 0 {
		out = append(out, originRole{originID: defaultAccessRoleID, displayName: "Default Access", description: "Default access to the application"})
	}
	return out
}

// resolveRequestResource finds the catalog resource a remove/update request names:
// by resource.id, or by originId + originSystem.
func (s *API) resolveRequestResource(catalogID string, res map[string]any) (*store.Record, error) {
	id, _, err := wire.BodyString(res, "id")
	if err != nil {
		return nil, err
	}
	if id != "" {
		rec, err := s.Store.Get(collCatalogResources, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !strings.EqualFold(wire.StrField(rec.Body, ifCatalogID), catalogID)) {
			return nil, wire.NotFound(id)
		}
		return rec, err
	}
	system, originID, err := resourceOrigin(res)
	if err != nil {
		return nil, wire.BadRequest("The resource must carry the 'id' of the catalog resource, or its 'originId' and 'originSystem'.")
	}
	rec, err := s.findCatalogResource(catalogID, system, originID)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, wire.NotFound(originID)
	}
	return rec, nil
}

// offboardResource removes a resource from a catalog (adminRemove), refused while any
// access package has a role scope on it.
func (s *API) offboardResource(catalogID string, res map[string]any) (map[string]any, error) {
	rec, err := s.resolveRequestResource(catalogID, res)
	if err != nil {
		return nil, err
	}
	used, err := s.childRecords(collRoleScopes, ifResourceID, rec.ID)
	if err != nil {
		return nil, err
	}
	if len(used) > 0 {
		return nil, &wire.Error{Status: http.StatusBadRequest, Code: codeInvalidDeleteHasEntitled,
			Message: "The resource cannot be removed from the catalog because access packages in the catalog still grant its roles."}
	}
	if err := s.deleteCatalogResource(rec.ID); err != nil {
		return nil, err
	}
	return rec.Body, nil
}

// updateCatalogResource is adminUpdate: displayName and description may change.
func (s *API) updateCatalogResource(catalogID string, res map[string]any) (map[string]any, error) {
	rec, err := s.resolveRequestResource(catalogID, res)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	err = s.Store.Update(collCatalogResources, rec.ID, func(obj map[string]any) error {
		for _, k := range []string{"displayName", "description"} {
			if v, present, err := wire.BodyString(res, k); err != nil {
				return err
			} else if present {
				obj[k] = v
			}
		}
		obj["modifiedDateTime"] = s.Timestamp()
		out = obj
		return nil
	})
	return out, err
}

// deleteCatalogResource removes a catalog resource with its roles, scopes and the role
// scopes that use them (the API refuses the last case first; out of band it cascades).
func (s *API) deleteCatalogResource(id string) error {
	if err := s.Store.Delete(collCatalogResources, id); err != nil {
		return err
	}
	for _, coll := range []string{collCatalogRoles, collCatalogScopes, collRoleScopes} {
		recs, err := s.childRecords(coll, ifResourceID, id)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if err := s.Store.Delete(coll, rec.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// catalogNotEmpty is the deleteCatalog check: a catalog holding access packages or
// resources cannot be deleted (spec 1.1 [U]: 400 BadRequest).
func (s *API) catalogNotEmpty(catalogID string) error {
	for _, coll := range []string{AccessPackages, collCatalogResources} {
		recs, err := s.childRecords(coll, ifCatalogID, catalogID)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			return wire.BadRequest("The catalog cannot be deleted because it still contains access packages or resources.")
		}
	}
	return s.catalogHasExtensions(catalogID) // customextensions.go
}

// ---- catalog resources, roles and scopes ----

var (
	resourceFilterable = []string{"id", "originId", "originSystem", "displayName", "description"}
	roleFilterable     = []string{"id", "originId", "originSystem", "displayName", "description",
		"resource/id", "resource/originId", "resource/originSystem", "resource/displayName"}
	scopeFilterable = append(append([]string(nil), roleFilterable...), "isRootScope")
)

// visibleCatalog reads the catalog of a contained-collection GET.
func (s *API) visibleCatalog(id string) (*store.Record, error) {
	return s.GetVisible(Catalogs, id)
}

func (s *API) listCatalogResources(w http.ResponseWriter, r *http.Request, p route.Params) error {
	cq, err := s.ParseQuery(r, resourceFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typeResource)
	if err != nil {
		return err
	}
	cat, err := s.visibleCatalog(p["id"])
	if err != nil {
		return err
	}
	recs, err := s.childRecords(collCatalogResources, ifCatalogID, cat.ID)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), func(rec *store.Record) map[string]any { return rec.Body },
		func(v map[string]any, sel []string) map[string]any { return s.renderResource(v, items, sel) },
		navContext("catalogs", cat.ID, "resources"))
	return nil
}

// catalogResourceFor reads a visible resource of a catalog for a GET.
func (s *API) catalogResourceFor(catalogID, resID string) (*store.Record, error) {
	cat, err := s.visibleCatalog(catalogID)
	if err != nil {
		return nil, err
	}
	rec, err := s.GetVisible(collCatalogResources, resID)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(wire.StrField(rec.Body, ifCatalogID), cat.ID) {
		return nil, wire.NotFound(resID)
	}
	return rec, nil
}

func (s *API) getCatalogResource(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typeResource)
	if err != nil {
		return err
	}
	rec, err := s.catalogResourceFor(p["id"], p["resId"])
	if err != nil {
		return err
	}
	out := s.renderResource(rec.Body, items, odata.SelectList(r))
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, wire.EntityContext(r, navContext("catalogs", wire.StrField(rec.Body, ifCatalogID), "resources"))))
	return nil
}

func (s *API) listResourceRolesOfResource(w http.ResponseWriter, r *http.Request, p route.Params) error {
	return s.listResourceChildren(w, r, p, collCatalogRoles, typeResourceRole, "roles")
}

func (s *API) listResourceScopesOfResource(w http.ResponseWriter, r *http.Request, p route.Params) error {
	return s.listResourceChildren(w, r, p, collCatalogScopes, typeResourceScope, "scopes")
}

func (s *API) listResourceChildren(w http.ResponseWriter, r *http.Request, p route.Params, coll, typ, nav string) error {
	cq, err := s.ParseQuery(r, scopeFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typ)
	if err != nil {
		return err
	}
	res, err := s.catalogResourceFor(p["id"], p["resId"])
	if err != nil {
		return err
	}
	recs, err := s.childRecords(coll, ifResourceID, res.ID)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), s.roleView, func(v map[string]any, sel []string) map[string]any {
		return s.renderRoleOrScope(v, items, sel)
	}, "identityGovernance/entitlementManagement/catalogs('"+wire.StrField(res.Body, ifCatalogID)+"')/resources('"+res.ID+"')/"+nav)
	return nil
}

// roleView is a role or scope document plus resource{id, originId, originSystem,
// displayName} for $filter=resource/id eq '…'.
func (s *API) roleView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+1)
	for k, x := range rec.Body {
		v[k] = x
	}
	resID := wire.StrField(rec.Body, ifResourceID)
	res := map[string]any{"id": resID}
	if rr, err := s.Store.Get(collCatalogResources, resID); err == nil {
		for _, k := range []string{"originId", "originSystem", "displayName"} {
			res[k] = rr.Body[k]
		}
	}
	v["resource"] = res
	return v
}

func (s *API) listCatalogResourceRoles(w http.ResponseWriter, r *http.Request, p route.Params) error {
	return s.listCatalogRolesOrScopes(w, r, p, collCatalogRoles, typeResourceRole, "resourceRoles", true)
}

func (s *API) listCatalogResourceScopes(w http.ResponseWriter, r *http.Request, p route.Params) error {
	return s.listCatalogRolesOrScopes(w, r, p, collCatalogScopes, typeResourceScope, "resourceScopes", false)
}

func (s *API) listCatalogRolesOrScopes(w http.ResponseWriter, r *http.Request, p route.Params, coll, typ, nav string, needOrigin bool) error {
	filterable := roleFilterable
	if coll == collCatalogScopes {
		filterable = scopeFilterable
	}
	cq, err := s.ParseQuery(r, filterable)
	if err != nil {
		return err
	}
	// resourceRoles answers 400 without an originSystem eq clause (spec 1 [D][I]).
	if needOrigin && !odata.HasEqConjunct(cq.Filter, "originSystem") {
		return wire.BadRequest("The $filter must contain an 'originSystem eq' clause, for example $filter=(originSystem eq 'AadGroup' and resource/id eq '<resource id>').")
	}
	items, err := expandQuery(r, typ)
	if err != nil {
		return err
	}
	cat, err := s.visibleCatalog(p["id"])
	if err != nil {
		return err
	}
	recs, err := s.childRecords(coll, ifCatalogID, cat.ID)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), s.roleView, func(v map[string]any, sel []string) map[string]any {
		return s.renderRoleOrScope(v, items, sel)
	}, navContext("catalogs", cat.ID, nav))
	return nil
}

// renderResource writes an accessPackageResource with the requested expansions.
func (s *API) renderResource(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	out := odata.ApplySelect(wire.Public(doc), sel)
	id := wire.StrField(doc, "id")
	for _, it := range items {
		switch it.Name {
		case "roles", "scopes":
			coll := collCatalogRoles
			if it.Name == "scopes" {
				coll = collCatalogScopes
			}
			list := []any{}
			if recs, err := s.childRecords(coll, ifResourceID, id); err == nil {
				for _, rec := range recs {
					list = append(list, s.renderRoleOrScope(rec.Body, it.Nested, it.Selects))
				}
			}
			out[it.Name] = list
		case "environment":
			out["environment"] = nil
		}
	}
	return out
}

// renderRoleOrScope writes a role or scope; "resource" may be expanded.
func (s *API) renderRoleOrScope(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	out := odata.ApplySelect(wire.Public(doc), sel)
	delete(out, "resource")
	for _, it := range items {
		if it.Name == "resource" {
			out["resource"] = nil
			if rec, err := s.Store.Get(collCatalogResources, wire.StrField(doc, ifResourceID)); err == nil {
				out["resource"] = s.renderResource(rec.Body, it.Nested, it.Selects)
			}
		}
	}
	return out
}

// ---- $expand ----

// ---- $ref bodies ----

// refTarget reads {"@odata.id": "<url>"} and returns the id after the collection
// segment when the URL path ends with one of the given collections (any host, any case).
func refTarget(body map[string]any, collections ...string) (string, error) {
	raw, ok := body["@odata.id"].(string)
	if !ok || strings.TrimSpace(raw) == "" {
		return "", wire.BadRequest("The request body must be a reference: {\"@odata.id\": \"<absolute URL of the object>\"}.")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", wire.BadRequest(fmt.Sprintf("The @odata.id '%s' is not a valid URL.", raw))
	}
	segs := route.SplitPath(u.Path)
	if len(segs) >= 2 {
		for _, c := range collections {
			if strings.EqualFold(segs[len(segs)-2], c) && segs[len(segs)-1] != "" {
				return segs[len(segs)-1], nil
			}
		}
	}
	return "", wire.BadRequest(fmt.Sprintf("The @odata.id '%s' does not reference an object of the expected kind (%s).", raw, strings.Join(collections, ", ")))
}

// navigations lists the navigation properties of entitlement management that $expand
// can name, per entity type.
var navigations = odata.Navigations{
	typeResourceRequest: {{"resource", typeResource}, {"catalog", typeCatalog}},
	typeResource:        {{"roles", typeResourceRole}, {"scopes", typeResourceScope}, {"environment", typeEnvironment}},
	typeResourceRole:    {{"resource", typeResource}},
	typeResourceScope:   {{"resource", typeResource}},
	typeAccessPackage: {{"catalog", typeCatalog}, {"resourceRoleScopes", typeRoleScope},
		{"incompatibleAccessPackages", typeAccessPackage}, {"incompatibleGroups", "microsoft.graph.group"},
		{"accessPackagesIncompatibleWith", typeAccessPackage},
		{"assignmentPolicies", "microsoft.graph.accessPackageAssignmentPolicy"}},
	typeRoleScope:         {{"role", typeResourceRole}, {"scope", typeResourceScope}},
	typeAssignmentRequest: {{"accessPackage", typeAccessPackage}, {"assignment", typeAssignment}},
	typeAssignment: {{"target", typeSubject}, {"accessPackage", typeAccessPackage},
		{"assignmentPolicy", typePolicyFull}},
	typeSubject: {{"connectedOrganization", typeConnectedOrg}},
	typeCatalog: {{"accessPackages", typeAccessPackage}},
	typePolicyFull: {{"accessPackage", typeAccessPackage}, {"catalog", typeCatalog},
		{"questions", typePolicyQuestion}, {"customExtensionStageSettings", typePolicyStageSetting}},
	typePolicyStageSetting: {{"customExtension", typeCustomExtension}},
}

// expandQuery parses the request's $expand against the entitlement navigations.
func expandQuery(r *http.Request, typ string) ([]odata.ExpandItem, error) {
	return navigations.ParseExpand(r, typ)
}
