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

// Beta views of catalogs (accessPackageCatalog with catalogStatus), catalog resources
// (accessPackageResource with resourceType) and resource requests (requestType AdminAdd /
// AdminRemove with catalogId and accessPackageResource). See beta.go.

const (
	typeBetaCatalog         = "microsoft.graph.accessPackageCatalog"
	typeBetaResourceRequest = "microsoft.graph.accessPackageResourceRequest"
	v1Catalogs              = v1Prefix + "/catalogs"
	v1ResourceRequests      = v1Prefix + "/resourceRequests"
)

var (
	catalogStatuses   = []string{"Published", "Unpublished"}
	catalogFilterable = []string{"id", "displayName", "description", "catalogStatus", "catalogType", "isExternallyVisible"}
	resourceFilter    = []string{"id", "displayName", "description", "originId", "originSystem", "resourceType"}
	requestFilterable = []string{"id", "requestType", "requestState", "catalogId", "accessPackageResource/originId"}
)

// catalogOut is the beta shape of a v1.0 catalog.
func catalogOut(c map[string]any) map[string]any {
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

var catalogProps = []string{"id", "displayName", "description", "catalogStatus", "catalogType", "isExternallyVisible",
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
		st, err := enumMember("catalogStatus", v, catalogStatuses)
		if err != nil {
			return nil, err
		}
		out["state"] = camel(st)
	}
	if v, ok := body["catalogType"]; ok && v != nil {
		ct, err := enumMember("catalogType", v, []string{"UserManaged", "ServiceDefault", "ServiceManaged"})
		if err != nil {
			return nil, err
		}
		if create || ct != "" {
			out["catalogType"] = camel(ct)
		}
	}
	return out, nil
}

func (s *API) listCatalogs(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := odata.ParseQuery(r, catalogFilterable, s.pageSize)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, v1Catalogs, nil)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, c := range all {
		items[i] = catalogOut(c)
	}
	s.writeCollection(w, r, cq, items, "identityGovernance/entitlementManagement/accessPackageCatalogs")
	return nil
}

func (s *API) createCatalog(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := readBody(r, typeBetaCatalog, catalogProps...)
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
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/accessPackageCatalogs/"+wire.StrField(created, "id"))
	s.writeEntity(w, r, http.StatusCreated, catalogOut(created), "identityGovernance/entitlementManagement/accessPackageCatalogs")
	return nil
}

func (s *API) getCatalog(w http.ResponseWriter, r *http.Request, p route.Params) error {
	c, err := s.v1(r, http.MethodGet, v1Catalogs+"/"+p["id"], nil, nil)
	if err != nil {
		return err
	}
	s.writeEntity(w, r, http.StatusOK, catalogOut(c), "identityGovernance/entitlementManagement/accessPackageCatalogs")
	return nil
}

func (s *API) updateCatalog(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := readBody(r, typeBetaCatalog, catalogProps...)
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

func (s *API) deleteCatalog(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if _, err := s.v1(r, http.MethodDelete, v1Catalogs+"/"+p["id"], nil, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- catalog resources ----

var resourceTypes = map[string]string{
	originAadGroup:       "Security Group",
	originAadApplication: "Application",
	originSharePoint:     "SharePoint Online Site",
}

// resourceOut is the beta accessPackageResource shape of a v1.0 catalog resource.
func resourceOut(res map[string]any) map[string]any {
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
		"resourceType":        resourceTypes[system],
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

func (s *API) listCatalogResources(w http.ResponseWriter, r *http.Request, p route.Params) error {
	cq, err := odata.ParseQuery(r, resourceFilter, s.pageSize)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, v1Catalogs+"/"+p["id"]+"/resources", nil)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, res := range all {
		items[i] = resourceOut(res)
	}
	s.writeCollection(w, r, cq, items, "identityGovernance/entitlementManagement/accessPackageCatalogs('"+p["id"]+"')/accessPackageResources")
	return nil
}

// ---- resource requests ----

var requestTypes = []string{"AdminAdd", "AdminRemove"}

func resourceRequestOut(req map[string]any, catalogID string, res map[string]any, justification any, immediately any) map[string]any {
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
		"accessPackageResource": resourceOut(res),
	}
	if out["requestState"] != "Delivered" {
		out["requestStatus"] = "Failed"
	}
	return out
}

func (s *API) listResourceRequests(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := odata.ParseQuery(r, requestFilterable, s.pageSize)
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
		items[i] = resourceRequestOut(req, wire.StrField(cat, "id"), res, nil, nil)
	}
	s.writeCollection(w, r, cq, items, "identityGovernance/entitlementManagement/accessPackageResourceRequests")
	return nil
}

func (s *API) createResourceRequest(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := readBody(r, typeBetaResourceRequest, "id", "catalogId", "requestType", "requestState", "requestStatus",
		"justification", "executeImmediately", "isValidationOnly", "expirationDateTime", "accessPackageResource")
	if err != nil {
		return err
	}
	catalogID, _, err := wire.BodyString(body, "catalogId")
	if err != nil {
		return err
	}
	if catalogID == "" {
		return wire.RequiredProperty("catalogId", typeBetaResourceRequest)
	}
	rt, present, err := wire.BodyString(body, "requestType")
	if err != nil {
		return err
	}
	if !present {
		return wire.RequiredProperty("requestType", typeBetaResourceRequest)
	}
	if rt, err = enumMember("requestType", rt, requestTypes); err != nil {
		return err
	}
	if body["isValidationOnly"] == true {
		return wire.BadRequest("The local API does not run validation-only resource requests (isValidationOnly).")
	}
	res, present, err := wire.BodyObject(body, "accessPackageResource")
	if err != nil {
		return err
	}
	if !present || res == nil {
		return wire.RequiredProperty("accessPackageResource", typeBetaResourceRequest)
	}
	v1Res := map[string]any{}
	for _, k := range []string{"originId", "originSystem"} {
		if v, ok := res[k]; ok {
			v1Res[k] = v
		}
	}
	if rt == "AdminRemove" {
		// Beta clients name the resource to remove by origin; v1.0 wants the catalog resource id.
		id, _, err := wire.BodyString(res, "id")
		if err != nil {
			return err
		}
		if id == "" {
			originID, _, err := wire.BodyString(res, "originId")
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
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/accessPackageResourceRequests/"+wire.StrField(created, "id"))
	s.writeEntity(w, r, http.StatusCreated, resourceRequestOut(created, catalogID, resOut, body["justification"], body["executeImmediately"]),
		"identityGovernance/entitlementManagement/accessPackageResourceRequests")
	return nil
}
