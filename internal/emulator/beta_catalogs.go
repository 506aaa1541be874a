package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Beta views of catalogs (accessPackageCatalog with catalogStatus), catalog resources
// (accessPackageResource with resourceType) and resource requests (requestType AdminAdd /
// AdminRemove with catalogId and accessPackageResource). See beta.go.

const (
	typeBetaCatalog         = "microsoft.graph.accessPackageCatalog"
	typeBetaResourceRequest = "microsoft.graph.accessPackageResourceRequest"
	v1Catalogs              = emPrefix + "/catalogs"
	v1ResourceRequests      = emPrefix + "/resourceRequests"
)

var (
	betaCatalogStatuses   = []string{"Published", "Unpublished"}
	betaCatalogFilterable = []string{"id", "displayName", "description", "catalogStatus", "catalogType", "isExternallyVisible"}
	betaResourceFilter    = []string{"id", "displayName", "description", "originId", "originSystem", "resourceType"}
	betaRequestFilterable = []string{"id", "requestType", "requestState", "catalogId", "accessPackageResource/originId"}
)

// betaCatalog is the beta shape of a v1.0 catalog.
func betaCatalog(c map[string]any) map[string]any {
	return map[string]any{
		"id":                  c["id"],
		"displayName":         c["displayName"],
		"description":         c["description"],
		"catalogType":         pascal(wire.StrField(c, "catalogType")),
		"catalogStatus":       pascal(wire.StrField(c, "state")),
		"isExternallyVisible": c["isExternallyVisible"],
		"createdBy":           "",
		"createdDateTime":     c["createdDateTime"],
		"modifiedBy":          "",
		"modifiedDateTime":    c["modifiedDateTime"],
	}
}

var betaCatalogProps = []string{"id", "displayName", "description", "catalogStatus", "catalogType", "isExternallyVisible",
	"createdBy", "createdDateTime", "modifiedBy", "modifiedDateTime"}

// catalogToV1 maps the writable beta properties to v1.0 (catalogStatus -> state).
func catalogToV1(body map[string]any, create bool) (map[string]any, error) {
	out := map[string]any{}
	for _, k := range []string{"displayName", "description", "isExternallyVisible"} {
		if v, ok := body[k]; ok {
			out[k] = v
		}
	}
	if v, ok := body["catalogStatus"]; ok && v != nil {
		st, err := betaEnum("catalogStatus", v, betaCatalogStatuses)
		if err != nil {
			return nil, err
		}
		out["state"] = camel(st)
	}
	if v, ok := body["catalogType"]; ok && v != nil {
		ct, err := betaEnum("catalogType", v, []string{"UserManaged", "ServiceDefault", "ServiceManaged"})
		if err != nil {
			return nil, err
		}
		if create || ct != "" {
			out["catalogType"] = camel(ct)
		}
	}
	return out, nil
}

func (s *Server) betaListCatalogs(w http.ResponseWriter, r *http.Request, _ params) error {
	cq, err := s.ParseQuery(r, betaCatalogFilterable)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, v1Catalogs, nil)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, c := range all {
		items[i] = betaCatalog(c)
	}
	s.writeBetaCollection(w, r, cq, items, "identityGovernance/entitlementManagement/accessPackageCatalogs")
	return nil
}

func (s *Server) betaCreateCatalog(w http.ResponseWriter, r *http.Request, _ params) error {
	body, err := betaBody(r, typeBetaCatalog, betaCatalogProps...)
	if err != nil {
		return err
	}
	in, err := catalogToV1(body, true)
	if err != nil {
		return err
	}
	created, err := s.v1(r, http.MethodPost, v1Catalogs, nil, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+betaPrefix+"/accessPackageCatalogs/"+wire.StrField(created, "id"))
	s.betaEntity(w, r, http.StatusCreated, betaCatalog(created), "identityGovernance/entitlementManagement/accessPackageCatalogs")
	return nil
}

func (s *Server) betaGetCatalog(w http.ResponseWriter, r *http.Request, p params) error {
	c, err := s.v1(r, http.MethodGet, v1Catalogs+"/"+p["id"], nil, nil)
	if err != nil {
		return err
	}
	s.betaEntity(w, r, http.StatusOK, betaCatalog(c), "identityGovernance/entitlementManagement/accessPackageCatalogs")
	return nil
}

func (s *Server) betaUpdateCatalog(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := betaBody(r, typeBetaCatalog, betaCatalogProps...)
	if err != nil {
		return err
	}
	in, err := catalogToV1(body, false)
	if err != nil {
		return err
	}
	if _, err := s.v1(r, http.MethodPatch, v1Catalogs+"/"+p["id"], nil, in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) betaDeleteCatalog(w http.ResponseWriter, r *http.Request, p params) error {
	if _, err := s.v1(r, http.MethodDelete, v1Catalogs+"/"+p["id"], nil, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- catalog resources ----

var betaResourceTypes = map[string]string{
	originAadGroup:       "Security Group",
	originAadApplication: "Application",
	originSharePoint:     "SharePoint Online Site",
}

// betaResource is the beta accessPackageResource shape of a v1.0 catalog resource.
func betaResource(res map[string]any) map[string]any {
	if res == nil {
		return nil
	}
	system := wire.StrField(res, "originSystem")
	out := map[string]any{
		"id":                  res["id"],
		"displayName":         res["displayName"],
		"description":         res["description"],
		"originId":            res["originId"],
		"originSystem":        system,
		"resourceType":        betaResourceTypes[system],
		"url":                 nil,
		"addedBy":             "",
		"addedOn":             res["createdDateTime"],
		"isPendingOnboarding": false,
		"attributes":          []any{},
	}
	if system == originSharePoint {
		out["url"] = res["originId"]
	}
	return out
}

func (s *Server) betaListCatalogResources(w http.ResponseWriter, r *http.Request, p params) error {
	cq, err := s.ParseQuery(r, betaResourceFilter)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, v1Catalogs+"/"+p["id"]+"/resources", nil)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, res := range all {
		items[i] = betaResource(res)
	}
	s.writeBetaCollection(w, r, cq, items, "identityGovernance/entitlementManagement/accessPackageCatalogs('"+p["id"]+"')/accessPackageResources")
	return nil
}

// ---- resource requests ----

var betaRequestTypes = []string{"AdminAdd", "AdminRemove"}

func betaResourceRequest(req map[string]any, catalogID string, res map[string]any, justification any, immediately any) map[string]any {
	out := map[string]any{
		"id":                    req["id"],
		"catalogId":             catalogID,
		"requestType":           pascal(wire.StrField(req, "requestType")),
		"requestState":          pascal(wire.StrField(req, "state")),
		"requestStatus":         "Fulfilled",
		"justification":         justification,
		"executeImmediately":    immediately,
		"isValidationOnly":      false,
		"expirationDateTime":    nil,
		"accessPackageResource": betaResource(res),
	}
	if out["requestState"] != "Delivered" {
		out["requestStatus"] = "Failed"
	}
	return out
}

func (s *Server) betaListResourceRequests(w http.ResponseWriter, r *http.Request, _ params) error {
	cq, err := s.ParseQuery(r, betaRequestFilterable)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, v1ResourceRequests, url.Values{"$expand": {"catalog,resource"}})
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, req := range all {
		cat, _ := req["catalog"].(map[string]any)
		res, _ := req["resource"].(map[string]any)
		items[i] = betaResourceRequest(req, wire.StrField(cat, "id"), res, nil, nil)
	}
	s.writeBetaCollection(w, r, cq, items, "identityGovernance/entitlementManagement/accessPackageResourceRequests")
	return nil
}

func (s *Server) betaCreateResourceRequest(w http.ResponseWriter, r *http.Request, _ params) error {
	body, err := betaBody(r, typeBetaResourceRequest, "id", "catalogId", "requestType", "requestState", "requestStatus",
		"justification", "executeImmediately", "isValidationOnly", "expirationDateTime", "accessPackageResource")
	if err != nil {
		return err
	}
	catalogID, _, err := bodyString(body, "catalogId")
	if err != nil {
		return err
	}
	if catalogID == "" {
		return requiredProperty("catalogId", typeBetaResourceRequest)
	}
	rt, present, err := bodyString(body, "requestType")
	if err != nil {
		return err
	}
	if !present {
		return requiredProperty("requestType", typeBetaResourceRequest)
	}
	if rt, err = betaEnum("requestType", rt, betaRequestTypes); err != nil {
		return err
	}
	if body["isValidationOnly"] == true {
		return wire.BadRequest("The local API does not run validation-only resource requests (isValidationOnly).")
	}
	res, present, err := bodyObject(body, "accessPackageResource")
	if err != nil {
		return err
	}
	if !present || res == nil {
		return requiredProperty("accessPackageResource", typeBetaResourceRequest)
	}
	v1Res := map[string]any{}
	for _, k := range []string{"originId", "originSystem"} {
		if v, ok := res[k]; ok {
			v1Res[k] = v
		}
	}
	if rt == "AdminRemove" {
		// Beta clients name the resource to remove by origin; v1.0 wants the catalog resource id.
		id, _, err := bodyString(res, "id")
		if err != nil {
			return err
		}
		if id == "" {
			originID, _, err := bodyString(res, "originId")
			if err != nil {
				return err
			}
			if originID == "" {
				return wire.BadRequest("The accessPackageResource must carry the 'id' of the catalog resource, or its 'originId' and 'originSystem'.")
			}
			found, err := s.v1All(r, v1Catalogs+"/"+catalogID+"/resources", url.Values{"$filter": {"originId eq " + odataString(originID)}})
			if err != nil {
				return err
			}
			for _, f := range found {
				if sys, _ := res["originSystem"].(string); sys == "" || strings.EqualFold(sys, wire.StrField(f, "originSystem")) {
					id = wire.StrField(f, "id")
				}
			}
			if id == "" {
				return &wire.Error{Status: http.StatusNotFound, Code: wire.CodeResourceNotFound,
					Message: fmt.Sprintf("The resource with originId '%s' is not in catalog '%s'.", originID, catalogID)}
			}
		}
		v1Res = map[string]any{"id": id}
	}
	created, err := s.v1(r, http.MethodPost, v1ResourceRequests, nil, map[string]any{
		"requestType": camel(rt),
		"catalog":     map[string]any{"id": catalogID},
		"resource":    v1Res,
	})
	if err != nil {
		return err
	}
	// The answer names the resource as the request did (a read-back could miss a request
	// that was just made).
	resOut := map[string]any{"originId": res["originId"], "originSystem": res["originSystem"]}
	if id, ok := v1Res["id"]; ok {
		resOut["id"] = id
	}
	w.Header().Set("Location", wire.BaseURL(r)+betaPrefix+"/accessPackageResourceRequests/"+wire.StrField(created, "id"))
	s.betaEntity(w, r, http.StatusCreated, betaResourceRequest(created, catalogID, resOut, body["justification"], body["executeImmediately"]),
		"identityGovernance/entitlementManagement/accessPackageResourceRequests")
	return nil
}
