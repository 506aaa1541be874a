package directory

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// application and servicePrincipal (spec section 4). A service principal is created
// from an existing application's appId (one per appId) and copies its displayName and
// appRoles; later changes of the application's appRoles and identifierUris reach the
// service principal too. Deleting an application deletes its service principal.

func convMemberTypes(name string, v any) (any, error) {
	l, err := convStringList(name, v)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, x := range l.([]any) {
		canon := ""
		for _, m := range []string{"User", "Application"} {
			if strings.EqualFold(m, x.(string)) {
				canon = m
			}
		}
		if canon == "" {
			return nil, BadRequest(fmt.Sprintf("Invalid value specified for property 'allowedMemberTypes': '%s'. Valid values: User, Application.", x))
		}
		out = append(out, canon)
	}
	if len(out) == 0 {
		return nil, BadRequest("Property 'allowedMemberTypes' of an app role must name User, Application or both.")
	}
	return out, nil
}

var appRoleProps = []property{
	{name: "id", conv: convGUID, nullable: true},
	strProp("value"),
	{name: "displayName", conv: convNonEmpty, required: true},
	strProp("description"),
	{name: "allowedMemberTypes", conv: convMemberTypes, required: true},
	{name: "isEnabled", conv: convBool, nullable: true},
	readOnlyProp("origin", convString),
}

var signInAudiences = []string{"AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"}

var applicationType = &objectType{name: "microsoft.graph.application", props: []property{
	readOnlyProp("id", convGUID),
	readOnlyProp("appId", convGUID),
	requiredProp("displayName"),
	strProp("description"),
	{name: "appRoles", conv: convObjectList("microsoft.graph.appRole", appRoleProps), nullable: true, list: true},
	listProp("identifierUris"),
	{name: "signInAudience", conv: convEnumString(signInAudiences...)},
	readOnlyProp("createdDateTime", convTime),
}}

var servicePrincipalType = &objectType{name: "microsoft.graph.servicePrincipal", props: []property{
	readOnlyProp("id", convGUID),
	{name: "appId", conv: convGUID, required: true},
	{name: "displayName", conv: convNonEmpty},
	strProp("description"),
	{name: "accountEnabled", conv: convBool},
	{name: "appRoleAssignmentRequired", conv: convBool},
	listProp("tags"),
	readOnlyProp("servicePrincipalType", convString),
	readOnlyProp("servicePrincipalNames", convStringList),
	readOnlyProp("appRoles", convObjectList("microsoft.graph.appRole", appRoleProps)),
}}

var applicationFilterable = []string{"id", "appId", "displayName", "signInAudience"}
var servicePrincipalFilterable = []string{"id", "appId", "displayName", "servicePrincipalType", "accountEnabled", "appRoleAssignmentRequired"}

func (s *API) applicationRoutes(t *route.Table) {
	handle(t, areaApplications, "/applications", map[string]route.Handler{
		http.MethodGet:  s.listApplications,
		http.MethodPost: s.createApplication,
	})
	handle(t, areaApplications, "/applications/{id}", map[string]route.Handler{
		http.MethodGet:    s.getApplication,
		http.MethodPatch:  s.updateApplication,
		http.MethodDelete: s.deleteApplication,
	})
	handle(t, areaApplications, "/servicePrincipals", map[string]route.Handler{
		http.MethodGet:  s.listServicePrincipals,
		http.MethodPost: s.createServicePrincipal,
	})
	handle(t, areaApplications, "/servicePrincipals/{id}", map[string]route.Handler{
		http.MethodGet:    s.getServicePrincipal,
		http.MethodPatch:  s.updateServicePrincipal,
		http.MethodDelete: s.deleteServicePrincipal,
	})
}

// normAppRoles fills role defaults (id, isEnabled, origin) and checks that ids and
// values are unique. A seed file must give the ids, so they are stable.
func normAppRoles(roles any, seed bool) ([]any, error) {
	list, _ := roles.([]any)
	out := make([]any, 0, len(list))
	ids, values := map[string]bool{}, map[string]bool{}
	for i, x := range list {
		in := x.(map[string]any)
		role := map[string]any{"id": in["id"], "value": in["value"], "displayName": in["displayName"], "description": in["description"],
			"allowedMemberTypes": in["allowedMemberTypes"], "isEnabled": true, "origin": "Application"}
		if b, ok := in["isEnabled"].(bool); ok {
			role["isEnabled"] = b
		}
		if role["id"] == nil {
			if seed {
				return nil, fmt.Errorf("appRoles[%d]: id is required in a seed file", i)
			}
			role["id"] = uuid.NewString()
		}
		if role["description"] == nil {
			role["description"] = ""
		}
		id := role["id"].(string)
		if ids[id] {
			return nil, BadRequest(fmt.Sprintf("App role id '%s' is used more than once in 'appRoles'.", id))
		}
		ids[id] = true
		if v, _ := role["value"].(string); v != "" {
			if strings.ContainsAny(v, " \t") {
				return nil, BadRequest(fmt.Sprintf("Invalid value specified for property 'value' of an app role: '%s' must not contain spaces.", v))
			}
			if values[strings.ToLower(v)] {
				return nil, BadRequest(fmt.Sprintf("App role value '%s' is used more than once in 'appRoles'.", v))
			}
			values[strings.ToLower(v)] = true
		}
		out = append(out, role)
	}
	return out, nil
}

func newApplication(in map[string]any, id, appID, created string, seed bool) (map[string]any, error) {
	obj := map[string]any{"id": id, "appId": appID, "createdDateTime": created, "description": nil,
		"appRoles": []any{}, "identifierUris": []any{}, "signInAudience": "AzureADMyOrg"}
	for k, v := range in {
		obj[k] = v
	}
	roles, err := normAppRoles(obj["appRoles"], seed)
	if err != nil {
		return nil, err
	}
	obj["appRoles"] = roles
	return obj, nil
}

// appByAppID finds an application by appId (exceptID is skipped).
func (s *API) appByAppID(appID, exceptID string) (*store.Record, error) {
	recs, err := s.Store.List(Applications)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if rec.ID != store.NormID(exceptID) && strings.EqualFold(strOf(rec.Body["appId"]), appID) {
			return rec, nil
		}
	}
	return nil, store.ErrNotFound
}

// sPByAppID finds the service principal of an appId.
func (s *API) sPByAppID(appID string) (*store.Record, error) {
	recs, err := s.Store.List(ServicePrincipals)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if strings.EqualFold(strOf(rec.Body["appId"]), appID) {
			return rec, nil
		}
	}
	return nil, store.ErrNotFound
}

// checkIdentifierURIs refuses identifier URIs another application uses.
func (s *API) checkIdentifierURIs(uris any, exceptID string) error {
	list, _ := uris.([]any)
	if len(list) == 0 {
		return nil
	}
	recs, err := s.Store.List(Applications)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.ID == store.NormID(exceptID) {
			continue
		}
		other, _ := rec.Body["identifierUris"].([]any)
		for _, u := range list {
			for _, o := range other {
				if strings.EqualFold(strOf(u), strOf(o)) {
					return BadRequest("Another object with the same value for property identifierUris already exists.")
				}
			}
		}
	}
	return nil
}

func sPNames(appID string, uris any) []any {
	names := []any{appID}
	if l, ok := uris.([]any); ok {
		names = append(names, l...)
	}
	return names
}

func (s *API) listApplications(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.parseQuery(r, applicationFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(Applications)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, recs, "applications", nil)
	return nil
}

func (s *API) createApplication(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := applicationType.validate(body, true, false)
	if err != nil {
		return err
	}
	obj, err := newApplication(in, uuid.NewString(), uuid.NewString(), s.timestamp(), false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.checkIdentifierURIs(obj["identifierUris"], ""); err != nil {
		return err
	}
	id := obj["id"].(string)
	if err := s.Store.Insert(Applications, id, obj, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+v1+"/applications/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.contextURL(r, "applications/$entity")))
	return nil
}

func (s *API) getApplication(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getObject(Applications, p["id"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(rec.Body, s.contextURL(r, "applications/$entity")), odata.SelectList(r)))
	return nil
}

func (s *API) updateApplication(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := applicationType.validate(body, false, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getObject(Applications, p["id"], false)
	if err != nil {
		return err
	}
	if uris, ok := in["identifierUris"]; ok {
		if err := s.checkIdentifierURIs(uris, rec.ID); err != nil {
			return err
		}
	}
	var updated map[string]any
	err = s.Store.Update(Applications, rec.ID, func(obj map[string]any) error {
		if roles, ok := in["appRoles"]; ok {
			norm, err := normAppRoles(roles, false)
			if err != nil {
				return err
			}
			// Graph refuses to drop a role that is still enabled: disable it first.
			kept := map[string]bool{}
			for _, x := range norm {
				kept[store.NormID(strOf(x.(map[string]any)["id"]))] = true
			}
			old, _ := obj["appRoles"].([]any)
			for _, x := range old {
				o, _ := x.(map[string]any)
				if !kept[store.NormID(strOf(o["id"]))] && o["isEnabled"] != false {
					return BadRequest("CannotDeleteOrUpdateEnabledEntitlement: Permission (scope or role) cannot be deleted or updated unless disabled first.")
				}
			}
			in["appRoles"] = norm
		}
		for k, v := range in {
			obj[k] = v
		}
		updated = obj
		return nil
	})
	if err != nil {
		return err
	}
	// The service principal follows the application's roles and identifier URIs.
	if sp, err := s.sPByAppID(strOf(updated["appId"])); err == nil {
		if err := s.Store.Update(ServicePrincipals, sp.ID, func(obj map[string]any) error {
			obj["appRoles"] = updated["appRoles"]
			obj["servicePrincipalNames"] = sPNames(strOf(updated["appId"]), updated["identifierUris"])
			return nil
		}); err != nil {
			return err
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) deleteApplication(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getObject(Applications, p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(Applications, rec.ID); err != nil {
		return err
	}
	if sp, err := s.sPByAppID(strOf(rec.Body["appId"])); err == nil {
		if err := s.Store.Delete(ServicePrincipals, sp.ID); err != nil {
			return err
		}
		if err := s.deleteLinks(sp.ID); err != nil {
			return err
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- service principals ----

// newServicePrincipal builds a service principal of app from validated input.
func newServicePrincipal(in map[string]any, id string, app map[string]any) map[string]any {
	appID := strOf(app["appId"])
	obj := map[string]any{
		"id": id, "appId": appID, "displayName": app["displayName"], "description": nil,
		"accountEnabled": true, "appRoleAssignmentRequired": false, "servicePrincipalType": "Application",
		"appRoles": app["appRoles"], "tags": []any{}, "servicePrincipalNames": sPNames(appID, app["identifierUris"]),
	}
	for k, v := range in {
		if k != "appId" {
			obj[k] = v
		}
	}
	if obj["appRoles"] == nil {
		obj["appRoles"] = []any{}
	}
	return obj
}

func (s *API) listServicePrincipals(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.parseQuery(r, servicePrincipalFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(ServicePrincipals)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, recs, "servicePrincipals", nil)
	return nil
}

func (s *API) createServicePrincipal(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := servicePrincipalType.validate(body, true, false)
	if err != nil {
		return err
	}
	appID := in["appId"].(string)
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	app, err := s.appByAppID(appID, "")
	if errors.Is(err, store.ErrNotFound) {
		return BadRequest(fmt.Sprintf("The appId '%s' of the service principal does not reference a valid application object.", appID))
	}
	if err != nil {
		return err
	}
	if _, err := s.sPByAppID(appID); err == nil {
		return &wire.Error{Status: http.StatusConflict, Code: codeDuplicateKey,
			Message: fmt.Sprintf("The service principal cannot be created, updated, or restored because the service principal name %s is already in use.", appID)}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	obj := newServicePrincipal(in, uuid.NewString(), app.Body)
	id := obj["id"].(string)
	if err := s.Store.Insert(ServicePrincipals, id, obj, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+v1+"/servicePrincipals/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.contextURL(r, "servicePrincipals/$entity")))
	return nil
}

func (s *API) getServicePrincipal(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getObject(ServicePrincipals, p["id"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(rec.Body, s.contextURL(r, "servicePrincipals/$entity")), odata.SelectList(r)))
	return nil
}

func (s *API) updateServicePrincipal(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := servicePrincipalType.validate(body, false, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getObject(ServicePrincipals, p["id"], false)
	if err != nil {
		return err
	}
	if a, ok := in["appId"]; ok && !strings.EqualFold(strOf(a), strOf(rec.Body["appId"])) {
		return BadRequest("Property 'appId' is read-only and cannot be changed.")
	}
	delete(in, "appId")
	err = s.Store.Update(ServicePrincipals, rec.ID, func(obj map[string]any) error {
		for k, v := range in {
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

func (s *API) deleteServicePrincipal(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getObject(ServicePrincipals, p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(ServicePrincipals, rec.ID); err != nil {
		return err
	}
	if err := s.deleteLinks(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
