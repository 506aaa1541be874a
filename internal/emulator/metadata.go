package emulator

import (
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The Azure cloud metadata document (GET /metadata/endpoints?api-version=2022-09-01) that
// Azure SDKs read when they are given a metadata host (ARM_METADATA_HOSTNAME, the azuread
// provider's metadata_host): it names the login endpoint and the Microsoft Graph resource,
// which both point at the emulator itself, so such a client signs in and calls Graph here.

const metadataAPIVersion = "2022-09-01"

func (s *Server) metadataRoutes(t *route.Table) {
	t.Add(route.Auth, nil, "/metadata/endpoints", map[string]route.Handler{http.MethodGet: s.metadataEndpoints})
}

func (s *Server) metadataEndpoints(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	v, _ := odata.QueryOption(r.URL.Query(), "api-version")
	switch {
	case v == "":
		writeARMError(w, http.StatusBadRequest, "MissingApiVersionParameter",
			"The api-version query parameter (?api-version=) is required for all requests.")
		return nil
	case v != metadataAPIVersion:
		writeARMError(w, http.StatusBadRequest, "InvalidApiVersionParameter",
			"The api-version '"+v+"' is invalid. The supported versions are '"+metadataAPIVersion+"'.")
		return nil
	}
	base := wire.BaseURL(r)
	host := r.Host
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
		host = h
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"name":            "entragov-local",
		"portal":          base + "/",
		"resourceManager": base + "/",
		"authentication": map[string]any{
			"loginEndpoint":    base + "/",
			"audiences":        []string{base + "/"},
			"tenant":           "common",
			"identityProvider": "AAD",
		},
		"media":                                 "",
		"graphAudience":                         "",
		"graph":                                 "",
		"batch":                                 "",
		"vmImageAliasDoc":                       "",
		"activeDirectoryDataLake":               "",
		"sqlManagement":                         "",
		"microsoftGraphResourceId":              base + "/",
		"appInsightsResourceId":                 "",
		"appInsightsTelemetryChannelResourceId": "",
		"attestationResourceId":                 "",
		"synapseAnalyticsResourceId":            "",
		"logAnalyticsResourceId":                "",
		"ossrDbmsResourceId":                    "",
		"suffixes": map[string]any{
			"acrLoginServer":    "",
			"keyVaultDns":       "",
			"storage":           host,
			"mhsmDns":           "",
			"sqlServerHostname": "",
		},
	})
	return nil
}

// writeARMError answers in Azure Resource Manager's error shape, which is what the
// metadata endpoint uses (it is an ARM path, not a Graph one).
func writeARMError(w http.ResponseWriter, status int, code, message string) {
	wire.WriteJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": message}})
}
