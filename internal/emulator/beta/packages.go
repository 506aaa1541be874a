package beta

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Beta views of access packages (catalogId, accessPackageCatalog) and of their role scopes
// (accessPackageResourceRoleScope with accessPackageResourceRole / accessPackageResourceScope).
// See beta.go.

const (
	typeBetaAccessPackage = "accessPackage"
	typeBetaRoleScope     = "microsoft.graph.accessPackageResourceRoleScope"
	v1AccessPackages      = v1Prefix + "/accessPackages"
	packagesContext       = "identityGovernance/entitlementManagement/accessPackages"
)

var (
	packageProps = []string{"id", "displayName", "description", "isHidden", "isRoleScopesVisible", "catalogId",
		"accessPackageCatalog", "createdBy", "createdDateTime", "modifiedBy", "modifiedDateTime"}
	packageFilterable = []string{"id", "displayName", "description", "isHidden", "catalogId"}
)

// roleScopeExpand is the v1.0 expansion a beta role scope needs.
const roleScopeExpand = "role($expand=resource),scope"

// accessPackageOut is the beta shape of a v1.0 access package read with $expand=catalog.
func accessPackageOut(p map[string]any, catalogID string) map[string]any {
	if cat, ok := p["catalog"].(map[string]any); ok && catalogID == "" {
		catalogID = wire.StrField(cat, "id")
	}
	return map[string]any{
		"id":                  p["id"],
		"displayName":         p["displayName"],
		"description":         p["description"],
		"isHidden":            p["isHidden"],
		"isRoleScopesVisible": false,
		"catalogId":           catalogID,
		"createdBy":           "",
		"createdDateTime":     p["createdDateTime"],
		"modifiedBy":          "",
		"modifiedDateTime":    p["modifiedDateTime"],
	}
}

// roleScopeOut is the beta shape of a v1.0 role scope read with role($expand=resource),scope.
func roleScopeOut(rs map[string]any) map[string]any {
	out := map[string]any{
		"id":               rs["id"],
		"createdBy":        "",
		"createdDateTime":  rs["createdDateTime"],
		"modifiedBy":       "",
		"modifiedDateTime": rs["createdDateTime"],
	}
	if role, ok := rs["role"].(map[string]any); ok {
		res, _ := role["resource"].(map[string]any)
		out["accessPackageResourceRole"] = map[string]any{
			"id":                    role["id"],
			"displayName":           role["displayName"],
			"description":           role["description"],
			"originId":              role["originId"],
			"originSystem":          role["originSystem"],
			"accessPackageResource": resourceOut(res),
		}
	}
	if scope, ok := rs["scope"].(map[string]any); ok {
		out["accessPackageResourceScope"] = map[string]any{
			"id":           scope["id"],
			"displayName":  scope["displayName"],
			"description":  scope["description"],
			"originId":     scope["originId"],
			"originSystem": scope["originSystem"],
			"isRootScope":  scope["isRootScope"],
			"roleOriginId": "",
			"url":          nil,
		}
	}
	return out
}

func (s *API) listAccessPackages(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := odata.ParseQuery(r, packageFilterable, s.pageSize)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, v1AccessPackages, url.Values{"$expand": {"catalog"}})
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, p := range all {
		items[i] = accessPackageOut(p, "")
	}
	s.writeCollection(w, r, cq, items, packagesContext)
	return nil
}

// packageCatalogID reads catalogId and/or accessPackageCatalog.id, which must agree.
func packageCatalogID(body map[string]any) (string, error) {
	id, _, err := wire.BodyString(body, "catalogId")
	if err != nil {
		return "", err
	}
	cat, _, err := wire.BodyObject(body, "accessPackageCatalog")
	if err != nil {
		return "", err
	}
	if cat != nil {
		nested, _, err := wire.BodyString(cat, "id")
		if err != nil {
			return "", err
		}
		switch {
		case id == "":
			id = nested
		case nested != "" && !strings.EqualFold(nested, id):
			return "", wire.BadRequest(fmt.Sprintf("catalogId '%s' and accessPackageCatalog.id '%s' name different catalogs.", id, nested))
		}
	}
	return id, nil
}

func packageToV1(body map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"displayName", "description", "isHidden"} {
		if v, ok := body[k]; ok {
			out[k] = v
		}
	}
	return out
}

func (s *API) createAccessPackage(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := readBody(r, "microsoft.graph."+typeBetaAccessPackage, packageProps...)
	if err != nil {
		return err
	}
	catalogID, err := packageCatalogID(body)
	if err != nil {
		return err
	}
	if catalogID == "" {
		return wire.RequiredProperty("catalogId", "microsoft.graph."+typeBetaAccessPackage)
	}
	in := packageToV1(body)
	in["catalog"] = map[string]any{"id": catalogID}
	created, err := s.v1(r, http.MethodPost, v1AccessPackages, nil, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/accessPackages/"+wire.StrField(created, "id"))
	s.writeEntity(w, r, http.StatusCreated, accessPackageOut(created, catalogID), packagesContext)
	return nil
}

func (s *API) getAccessPackage(w http.ResponseWriter, r *http.Request, p route.Params) error {
	expand, err := parseExpand(r, typeBetaAccessPackage, "accessPackageCatalog", "accessPackageResourceRoleScopes")
	if err != nil {
		return err
	}
	v1Expand := "catalog"
	_, withScopes := expand["accessPackageResourceRoleScopes"]
	if withScopes {
		v1Expand += ",resourceRoleScopes($expand=" + roleScopeExpand + ")"
	}
	pkg, err := s.v1(r, http.MethodGet, v1AccessPackages+"/"+p["id"], url.Values{"$expand": {v1Expand}}, nil)
	if err != nil {
		return err
	}
	out := accessPackageOut(pkg, "")
	if _, ok := expand["accessPackageCatalog"]; ok {
		out["accessPackageCatalog"] = nil
		if cat, ok := pkg["catalog"].(map[string]any); ok {
			out["accessPackageCatalog"] = catalogOut(cat)
		}
	}
	if withScopes {
		list := []any{}
		for _, x := range wire.AnySlice(pkg["resourceRoleScopes"]) {
			if rs, ok := x.(map[string]any); ok {
				list = append(list, roleScopeOut(rs))
			}
		}
		out["accessPackageResourceRoleScopes"] = list
	}
	s.writeEntity(w, r, http.StatusOK, out, packagesContext)
	return nil
}

func (s *API) updateAccessPackage(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := readBody(r, "microsoft.graph."+typeBetaAccessPackage, packageProps...)
	if err != nil {
		return err
	}
	catalogID, err := packageCatalogID(body)
	if err != nil {
		return err
	}
	if catalogID != "" {
		// The catalog is bound at creation in v1.0: the same catalog is accepted, a move is not.
		cur, err := s.v1(r, http.MethodGet, v1AccessPackages+"/"+p["id"], url.Values{"$expand": {"catalog"}}, nil)
		if err != nil {
			return err
		}
		if have := wire.StrField(accessPackageOut(cur, ""), "catalogId"); !strings.EqualFold(have, catalogID) {
			return wire.BadRequest(fmt.Sprintf("The access package is in catalog '%s'; moving it to catalog '%s' is not supported.", have, catalogID))
		}
	}
	if _, err := s.v1(r, http.MethodPatch, v1AccessPackages+"/"+p["id"], nil, packageToV1(body)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) deleteAccessPackage(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if _, err := s.v1(r, http.MethodDelete, v1AccessPackages+"/"+p["id"], nil, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- role scopes ----

func roleScopesPath(packageID string) string {
	return v1AccessPackages + "/" + packageID + "/resourceRoleScopes"
}

func roleScopesContext(packageID string) string {
	return packagesContext + "('" + packageID + "')/accessPackageResourceRoleScopes"
}

func (s *API) listRoleScopes(w http.ResponseWriter, r *http.Request, p route.Params) error {
	cq, err := odata.ParseQuery(r, []string{"id", "createdDateTime"}, s.pageSize)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, roleScopesPath(p["id"]), url.Values{"$expand": {roleScopeExpand}})
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, rs := range all {
		items[i] = roleScopeOut(rs)
	}
	s.writeCollection(w, r, cq, items, roleScopesContext(p["id"]))
	return nil
}

func (s *API) getRoleScope(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rs, err := s.v1(r, http.MethodGet, roleScopesPath(p["id"])+"/"+p["rsId"], url.Values{"$expand": {roleScopeExpand}}, nil)
	if err != nil {
		return err
	}
	s.writeEntity(w, r, http.StatusOK, roleScopeOut(rs), roleScopesContext(p["id"]))
	return nil
}

func (s *API) deleteRoleScope(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if _, err := s.v1(r, http.MethodDelete, roleScopesPath(p["id"])+"/"+p["rsId"], nil, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// createRoleScope maps accessPackageResourceRole {originId, originSystem,
// accessPackageResource{id}} and accessPackageResourceScope {originId} to the v1.0 role and
// scope references; the display names and other read-only fields clients send are ignored.
func (s *API) createRoleScope(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := readBody(r, typeBetaRoleScope, "id", "createdBy", "createdDateTime", "modifiedBy", "modifiedDateTime",
		"accessPackageResourceRole", "accessPackageResourceScope")
	if err != nil {
		return err
	}
	role, present, err := wire.BodyObject(body, "accessPackageResourceRole")
	if err != nil {
		return err
	}
	if !present || role == nil {
		return wire.RequiredProperty("accessPackageResourceRole", typeBetaRoleScope)
	}
	v1Role := map[string]any{}
	for _, k := range []string{"id", "originId", "originSystem"} {
		if v, ok := role[k]; ok && v != nil && v != "" {
			v1Role[k] = v
		}
	}
	res, _, err := wire.BodyObject(role, "accessPackageResource")
	if err != nil {
		return err
	}
	if res != nil {
		if id, _, err := wire.BodyString(res, "id"); err != nil {
			return err
		} else if id != "" {
			v1Role["resource"] = map[string]any{"id": id}
		}
	}
	in := map[string]any{"role": v1Role}
	scope, _, err := wire.BodyObject(body, "accessPackageResourceScope")
	if err != nil {
		return err
	}
	if scope != nil {
		v1Scope := map[string]any{}
		for _, k := range []string{"id", "originId", "isRootScope"} {
			if v, ok := scope[k]; ok && v != nil && v != "" {
				v1Scope[k] = v
			}
		}
		if len(v1Scope) > 0 {
			in["scope"] = v1Scope
		}
	}
	created, err := s.v1(r, http.MethodPost, roleScopesPath(p["id"]), nil, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/accessPackages/"+p["id"]+"/accessPackageResourceRoleScopes/"+wire.StrField(created, "id"))
	s.writeEntity(w, r, http.StatusCreated, roleScopeOut(created), roleScopesContext(p["id"]))
	return nil
}
