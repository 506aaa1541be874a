// Package diagnostics turns Graph failures into Terraform diagnostics that carry what a user needs to
// act or to open a support case: the HTTP status, Graph's code and message, and the request ids.
package diagnostics

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// AddAPIError adds an error diagnostic for a failed Graph call. summary says what was being done, e.g.
// "Unable to create catalog".
func AddAPIError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, Detail(err))
}

// Detail renders err for a diagnostic. Graph errors get one line per field so that the request id can
// be copied into a support case.
func Detail(err error) string {
	ge, ok := graph.AsError(err)
	if !ok {
		if graph.IsAmbiguous(err) {
			return err.Error() + "\n\nThe request may have been applied. Check the tenant before applying again."
		}
		return err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Microsoft Graph answered HTTP %d", ge.Status)
	if ge.Code != "" {
		fmt.Fprintf(&b, " with code %s", ge.Code)
	}
	b.WriteString(".\n")
	if ge.Message != "" {
		fmt.Fprintf(&b, "\n%s\n", ge.Message)
	}
	fmt.Fprintf(&b, "\nRequest: %s %s", ge.Method, ge.URL)
	if ge.RequestID != "" {
		fmt.Fprintf(&b, "\nrequest-id: %s", ge.RequestID)
	}
	if ge.ClientRequestID != "" {
		fmt.Fprintf(&b, "\nclient-request-id: %s", ge.ClientRequestID)
	}
	if ge.Date != "" {
		fmt.Fprintf(&b, "\ndate: %s", ge.Date)
	}
	if hint := hintFor(ge); hint != "" {
		fmt.Fprintf(&b, "\n\n%s", hint)
	}
	return b.String()
}

// hintFor adds advice for the failures users meet most, without hiding Graph's own words.
func hintFor(ge *graph.Error) string {
	switch {
	case ge.Status == 401:
		return "The access token was refused. Check tenant_id, client_id and the credential, and that the token is for this Graph endpoint."
	case ge.Status == 403 && ge.Code == "NoGovernanceSku":
		return "The tenant needs a Microsoft Entra ID Governance (or P2) licence for this feature."
	case ge.Status == 403:
		return permissionHint(ge)
	case ge.Status == 429:
		return "Graph kept throttling the requests after the provider's retries. Lower -parallelism or try again later."
	}
	return ""
}

// permissionHint names the permission of the Graph area the failed request went to (graph.PermissionFor).
func permissionHint(ge *graph.Error) string {
	if p, ok := graph.PermissionFor(ge.URL); ok {
		return fmt.Sprintf("The application lacks a permission. %s needs %s (application permission) with admin consent.", p.Area, p.Name)
	}
	return "The application lacks a permission. Grant the application permission that the Graph reference lists for " +
		ge.Method + " " + ge.URL + ", with admin consent."
}
