package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// application and servicePrincipal (spec section 4). A service principal is created
// from an existing application's appId (one per appId) and copies its displayName and
// appRoles; later changes of the application's appRoles and identifierUris reach the
// service principal too. Deleting an application deletes its service principal.

func dconvMemberTypes(name string, v any) (any, error) {
	l, err := dconvStringList(name, v)
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
			return nil, dirBadRequest(fmt.Sprintf("Invalid value specified for property 'allowedMemberTypes': '%s'. Valid values: User, Application.", x))
		}
		out = append(out, canon)
	}
	if len(out) == 0 {
		return nil, dirBadRequest("Property 'allowedMemberTypes' of an app role must name User, Application or both.")
	}
	return out, nil
}

var dirAppRoleProps = []dirProp{
	{name: "id", conv: dconvGUID, nullable: true},
	dpStr("value"),
	{name: "displayName", conv: dconvNonEmpty, required: true},
	dpStr("description"),
	{name: "allowedMemberTypes", conv: dconvMemberTypes, required: true},
	{name: "isEnabled", conv: dconvBool, nullable: true},
	dpRO("origin", dconvString),
}

var dirSignInAudiences = []string{"AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"}

var dirApplicationType = &dirType{name: "microsoft.graph.application", props: []dirProp{
	dpRO("id", dconvGUID),
	dpRO("appId", dconvGUID),
	dpReq("displayName"),
	dpStr("description"),
	{name: "appRoles", conv: dconvObjectList("microsoft.graph.appRole", dirAppRoleProps), nullable: true, list: true},
	dpList("identifierUris"),
	{name: "signInAudience", conv: dconvEnumString(dirSignInAudiences...)},
	dpRO("createdDateTime", dconvTime),
}}

var dirServicePrincipalType = &dirType{name: "microsoft.graph.servicePrincipal", props: []dirProp{
	dpRO("id", dconvGUID),
	{name: "appId", conv: dconvGUID, required: true},
	{name: "displayName", conv: dconvNonEmpty},
	dpStr("description"),
	{name: "accountEnabled", conv: dconvBool},
	{name: "appRoleAssignmentRequired", conv: dconvBool},
	dpList("tags"),
	dpRO("servicePrincipalType", dconvString),
	dpRO("servicePrincipalNames", dconvStringList),
	dpRO("appRoles", dconvObjectList("microsoft.graph.appRole", dirAppRoleProps)),
}}

var dirApplicationFilterable = []string{"id", "appId", "displayName", "signInAudience"}
var dirServicePrincipalFilterable = []string{"id", "appId", "displayName", "servicePrincipalType", "accountEnabled", "appRoleAssignmentRequired"}

func (s *Server) dirRegisterApplicationRoutes() {
	s.dirHandle(areaApplications, "/applications", map[string]handlerFunc{
		http.MethodGet:  s.dirListApplications,
		http.MethodPost: s.dirCreateApplication,
	})
	s.dirHandle(areaApplications, "/applications/{id}", map[string]handlerFunc{
		http.MethodGet:    s.dirGetApplication,
		http.MethodPatch:  s.dirUpdateApplication,
		http.MethodDelete: s.dirDeleteApplication,
	})
	s.dirHandle(areaApplications, "/servicePrincipals", map[string]handlerFunc{
		http.MethodGet:  s.dirListServicePrincipals,
		http.MethodPost: s.dirCreateServicePrincipal,
	})
	s.dirHandle(areaApplications, "/servicePrincipals/{id}", map[string]handlerFunc{
		http.MethodGet:    s.dirGetServicePrincipal,
		http.MethodPatch:  s.dirUpdateServicePrincipal,
		http.MethodDelete: s.dirDeleteServicePrincipal,
	})
}

// dirNormAppRoles fills role defaults (id, isEnabled, origin) and checks that ids and
// values are unique. A seed file must give the ids, so they are stable.
func dirNormAppRoles(roles any, seed bool) ([]any, error) {
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
			return nil, dirBadRequest(fmt.Sprintf("App role id '%s' is used more than once in 'appRoles'.", id))
		}
		ids[id] = true
		if v, _ := role["value"].(string); v != "" {
			if strings.ContainsAny(v, " \t") {
				return nil, dirBadRequest(fmt.Sprintf("Invalid value specified for property 'value' of an app role: '%s' must not contain spaces.", v))
			}
			if values[strings.ToLower(v)] {
				return nil, dirBadRequest(fmt.Sprintf("App role value '%s' is used more than once in 'appRoles'.", v))
			}
			values[strings.ToLower(v)] = true
		}
		out = append(out, role)
	}
	return out, nil
}

func dirNewApplication(in map[string]any, id, appID, created string, seed bool) (map[string]any, error) {
	obj := map[string]any{"id": id, "appId": appID, "createdDateTime": created, "description": nil,
		"appRoles": []any{}, "identifierUris": []any{}, "signInAudience": "AzureADMyOrg"}
	for k, v := range in {
		obj[k] = v
	}
	roles, err := dirNormAppRoles(obj["appRoles"], seed)
	if err != nil {
		return nil, err
	}
	obj["appRoles"] = roles
	return obj, nil
}

// dirAppByAppID finds an application by appId (exceptID is skipped).
func (s *Server) dirAppByAppID(appID, exceptID string) (*store.Record, error) {
	recs, err := s.Store.List(collApplications)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if rec.ID != store.NormID(exceptID) && strings.EqualFold(dirStr(rec.Body["appId"]), appID) {
			return rec, nil
		}
	}
	return nil, ErrNotFound
}

// dirSPByAppID finds the service principal of an appId.
func (s *Server) dirSPByAppID(appID string) (*store.Record, error) {
	recs, err := s.Store.List(collServicePrincipals)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if strings.EqualFold(dirStr(rec.Body["appId"]), appID) {
			return rec, nil
		}
	}
	return nil, ErrNotFound
}

// dirCheckIdentifierURIs refuses identifier URIs another application uses.
func (s *Server) dirCheckIdentifierURIs(uris any, exceptID string) error {
	list, _ := uris.([]any)
	if len(list) == 0 {
		return nil
	}
	recs, err := s.Store.List(collApplications)
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
				if strings.EqualFold(dirStr(u), dirStr(o)) {
					return dirBadRequest("Another object with the same value for property identifierUris already exists.")
				}
			}
		}
	}
	return nil
}

func dirSPNames(appID string, uris any) []any {
	names := []any{appID}
	if l, ok := uris.([]any); ok {
		names = append(names, l...)
	}
	return names
}

func (s *Server) dirListApplications(w http.ResponseWriter, r *http.Request, _ params) error {
	cq, err := s.dirParseQuery(r, dirApplicationFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(collApplications)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, recs, "applications", nil)
	return nil
}

func (s *Server) dirCreateApplication(w http.ResponseWriter, r *http.Request, _ params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirApplicationType.validate(body, true, false)
	if err != nil {
		return err
	}
	obj, err := dirNewApplication(in, uuid.NewString(), uuid.NewString(), s.dirTimestamp(), false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.dirCheckIdentifierURIs(obj["identifierUris"], ""); err != nil {
		return err
	}
	id := obj["id"].(string)
	if err := s.Store.Insert(collApplications, id, obj, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+dirV1+"/applications/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.dirContext(r, "applications/$entity")))
	return nil
}

func (s *Server) dirGetApplication(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.dirGet(collApplications, p["id"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(rec.Body, s.dirContext(r, "applications/$entity")), odata.SelectList(r)))
	return nil
}

func (s *Server) dirUpdateApplication(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirApplicationType.validate(body, false, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGet(collApplications, p["id"], false)
	if err != nil {
		return err
	}
	if uris, ok := in["identifierUris"]; ok {
		if err := s.dirCheckIdentifierURIs(uris, rec.ID); err != nil {
			return err
		}
	}
	var updated map[string]any
	err = s.Store.Update(collApplications, rec.ID, func(obj map[string]any) error {
		if roles, ok := in["appRoles"]; ok {
			norm, err := dirNormAppRoles(roles, false)
			if err != nil {
				return err
			}
			// Graph refuses to drop a role that is still enabled: disable it first.
			kept := map[string]bool{}
			for _, x := range norm {
				kept[store.NormID(dirStr(x.(map[string]any)["id"]))] = true
			}
			old, _ := obj["appRoles"].([]any)
			for _, x := range old {
				o, _ := x.(map[string]any)
				if !kept[store.NormID(dirStr(o["id"]))] && o["isEnabled"] != false {
					return dirBadRequest("CannotDeleteOrUpdateEnabledEntitlement: Permission (scope or role) cannot be deleted or updated unless disabled first.")
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
	if sp, err := s.dirSPByAppID(dirStr(updated["appId"])); err == nil {
		if err := s.Store.Update(collServicePrincipals, sp.ID, func(obj map[string]any) error {
			obj["appRoles"] = updated["appRoles"]
			obj["servicePrincipalNames"] = dirSPNames(dirStr(updated["appId"]), updated["identifierUris"])
			return nil
		}); err != nil {
			return err
		}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) dirDeleteApplication(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGet(collApplications, p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(collApplications, rec.ID); err != nil {
		return err
	}
	if sp, err := s.dirSPByAppID(dirStr(rec.Body["appId"])); err == nil {
		if err := s.Store.Delete(collServicePrincipals, sp.ID); err != nil {
			return err
		}
		if err := s.dirDeleteLinks(sp.ID); err != nil {
			return err
		}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- service principals ----

// dirNewServicePrincipal builds a service principal of app from validated input.
func dirNewServicePrincipal(in map[string]any, id string, app map[string]any) map[string]any {
	appID := dirStr(app["appId"])
	obj := map[string]any{
		"id": id, "appId": appID, "displayName": app["displayName"], "description": nil,
		"accountEnabled": true, "appRoleAssignmentRequired": false, "servicePrincipalType": "Application",
		"appRoles": app["appRoles"], "tags": []any{}, "servicePrincipalNames": dirSPNames(appID, app["identifierUris"]),
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

func (s *Server) dirListServicePrincipals(w http.ResponseWriter, r *http.Request, _ params) error {
	cq, err := s.dirParseQuery(r, dirServicePrincipalFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(collServicePrincipals)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, recs, "servicePrincipals", nil)
	return nil
}

func (s *Server) dirCreateServicePrincipal(w http.ResponseWriter, r *http.Request, _ params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirServicePrincipalType.validate(body, true, false)
	if err != nil {
		return err
	}
	appID := in["appId"].(string)
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	app, err := s.dirAppByAppID(appID, "")
	if errors.Is(err, ErrNotFound) {
		return dirBadRequest(fmt.Sprintf("The appId '%s' of the service principal does not reference a valid application object.", appID))
	}
	if err != nil {
		return err
	}
	if _, err := s.dirSPByAppID(appID); err == nil {
		return &wire.Error{Status: http.StatusConflict, Code: codeDirDuplicateKey,
			Message: fmt.Sprintf("The service principal cannot be created, updated, or restored because the service principal name %s is already in use.", appID)}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	obj := dirNewServicePrincipal(in, uuid.NewString(), app.Body)
	id := obj["id"].(string)
	if err := s.Store.Insert(collServicePrincipals, id, obj, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+dirV1+"/servicePrincipals/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.dirContext(r, "servicePrincipals/$entity")))
	return nil
}

func (s *Server) dirGetServicePrincipal(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.dirGet(collServicePrincipals, p["id"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(rec.Body, s.dirContext(r, "servicePrincipals/$entity")), odata.SelectList(r)))
	return nil
}

func (s *Server) dirUpdateServicePrincipal(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirServicePrincipalType.validate(body, false, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGet(collServicePrincipals, p["id"], false)
	if err != nil {
		return err
	}
	if a, ok := in["appId"]; ok && !strings.EqualFold(dirStr(a), dirStr(rec.Body["appId"])) {
		return dirBadRequest("Property 'appId' is read-only and cannot be changed.")
	}
	delete(in, "appId")
	err = s.Store.Update(collServicePrincipals, rec.ID, func(obj map[string]any) error {
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

func (s *Server) dirDeleteServicePrincipal(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGet(collServicePrincipals, p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(collServicePrincipals, rec.ID); err != nil {
		return err
	}
	if err := s.dirDeleteLinks(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
