package identity

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The emulator plays the managed identity endpoints of an Azure resource too: the
// Instance Metadata Service (IMDS) of a virtual machine and the identity endpoint App
// Service sets in IDENTITY_ENDPOINT. Both are control routes (loopback callers only,
// like the real ones, which answer only on the resource itself).
const (
	// IMDSTokenPath is the IMDS token path (http://169.254.169.254/metadata/identity/oauth2/token).
	IMDSTokenPath = "/metadata/identity/oauth2/token"
	// AppServiceTokenPath stands for App Service's IDENTITY_ENDPOINT.
	AppServiceTokenPath = "/_emulator/appservice/msi/token"
	// AppServiceIdentityHeader is the only X-IDENTITY-HEADER (IDENTITY_HEADER) the App
	// Service endpoint accepts.
	AppServiceIdentityHeader = "entragov-local-identity-header"

	// The system-assigned identity of the emulated resource, and a user-assigned one.
	SystemAssignedClientID = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
	SystemAssignedObjectID = "8d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a"
	UserAssignedClientID   = "9e3f4a5b-6c7d-4e8f-a09b-1c2d3e4f5a6b"
	UserAssignedObjectID   = "af4a5b6c-7d8e-4f9a-b1c2-2d3e4f5a6b7c"
	UserAssignedResourceID = "/subscriptions/6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0/resourceGroups/entragov/providers/Microsoft.ManagedIdentity/userAssignedIdentities/entragov-terraform"
)

// ManagedIdentityKind tells managed identities from app registrations.
type ManagedIdentityKind int

const (
	// NotManagedIdentity is an app registration.
	NotManagedIdentity ManagedIdentityKind = iota
	// SystemAssigned is the identity of the resource itself, used when no id is named.
	SystemAssigned
	// UserAssigned is an identity assigned to the resource, named by client, object or resource id.
	UserAssigned
)

// miProtocol is how one of the endpoints is asked and answers.
type miProtocol struct {
	apiVersion string
	idParams   [3]string // client id, object id, resource id
	fail       func(w http.ResponseWriter, status int, code, desc string)
}

var (
	imdsProtocol = miProtocol{apiVersion: "2018-02-01", idParams: [3]string{"client_id", "object_id", "msi_res_id"},
		fail: func(w http.ResponseWriter, status int, code, desc string) {
			wire.WriteJSON(w, status, map[string]any{"error": code, "error_description": desc})
		}}
	appServiceProtocol = miProtocol{apiVersion: "2019-08-01", idParams: [3]string{"client_id", "principal_id", "mi_res_id"},
		fail: func(w http.ResponseWriter, status int, _, desc string) {
			wire.WriteJSON(w, status, map[string]any{"statusCode": status, "message": desc})
		}}
)

// imdsToken: GET ?api-version=2018-02-01&resource=...[&client_id=|&object_id=|&msi_res_id=]
// with "Metadata: true".
func (s *Service) imdsToken(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	if r.Header.Get("Metadata") != "true" {
		imdsProtocol.fail(w, http.StatusBadRequest, "invalid_request", "Required metadata header not specified")
		return nil
	}
	s.managedIdentityToken(w, r, imdsProtocol)
	return nil
}

// appServiceToken: GET ?api-version=2019-08-01&resource=...[&client_id=|&principal_id=|&mi_res_id=]
// with "X-IDENTITY-HEADER: <IDENTITY_HEADER>".
func (s *Service) appServiceToken(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	got := r.Header.Get("X-IDENTITY-HEADER")
	if subtle.ConstantTimeCompare([]byte(got), []byte(AppServiceIdentityHeader)) != 1 {
		appServiceProtocol.fail(w, http.StatusUnauthorized, "", "The X-IDENTITY-HEADER header is missing or wrong.")
		return nil
	}
	s.managedIdentityToken(w, r, appServiceProtocol)
	return nil
}

func (s *Service) managedIdentityToken(w http.ResponseWriter, r *http.Request, p miProtocol) {
	q := r.URL.Query()
	if v := q.Get("api-version"); v != p.apiVersion {
		p.fail(w, http.StatusBadRequest, "invalid_request", "Unsupported or missing api-version '"+v+"'; this endpoint answers "+p.apiVersion+".")
		return
	}
	resource := q.Get("resource")
	if resource == "" {
		p.fail(w, http.StatusBadRequest, "invalid_request", "Required audience parameter not specified")
		return
	}
	base := wire.BaseURL(r)
	aud := s.audienceFor(strings.TrimSuffix(resource, "/")+"/.default", base)
	if aud == "" {
		p.fail(w, http.StatusBadRequest, "invalid_resource", "AADSTS500011: The resource principal named "+resource+" was not found in the tenant named "+s.tenantID+".")
		return
	}
	app, ok, desc := s.managedIdentity(q, p)
	if !ok {
		p.fail(w, http.StatusBadRequest, "invalid_request", desc)
		return
	}
	signed, err := s.issueToken(app, "2", aud)
	if err != nil {
		p.fail(w, http.StatusInternalServerError, "unknown", err.Error())
		return
	}
	now := s.now()
	w.Header().Set("Cache-Control", "no-store, no-cache")
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token":   signed,
		"client_id":      app.ClientID,
		"expires_in":     strconv.Itoa(tokenLifetime),
		"expires_on":     strconv.FormatInt(now.Unix()+tokenLifetime, 10),
		"ext_expires_in": strconv.Itoa(tokenLifetime),
		"not_before":     strconv.FormatInt(now.Unix(), 10),
		"resource":       resource,
		"token_type":     "Bearer",
	})
}

// managedIdentity finds the identity the query names: the system-assigned one when it
// names none, else the user-assigned identity with that client, object or resource id.
func (s *Service) managedIdentity(q map[string][]string, p miProtocol) (App, bool, string) {
	var param, value string
	for _, name := range p.idParams {
		if v := first(q[name]); v != "" {
			if param != "" {
				return App{}, false, "Only one of " + strings.Join(p.idParams[:], ", ") + " may be specified."
			}
			param, value = name, v
		}
	}
	s.appsMu.RLock()
	defer s.appsMu.RUnlock()
	for _, a := range s.apps {
		var match bool
		switch param {
		case "":
			match = a.ManagedIdentity == SystemAssigned
		case p.idParams[0]:
			match = a.ManagedIdentity != NotManagedIdentity && strings.EqualFold(a.ClientID, value)
		case p.idParams[1]:
			match = a.ManagedIdentity != NotManagedIdentity && strings.EqualFold(a.ObjectID, value)
		default:
			match = a.ManagedIdentity == UserAssigned && strings.EqualFold(a.ResourceID, value)
		}
		if match {
			return a, true, ""
		}
	}
	if param == "" {
		return App{}, false, "No managed identity is assigned to this resource; name a user-assigned identity."
	}
	return App{}, false, "Identity not found"
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
