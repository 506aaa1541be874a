package conformance_test

import (
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/conformance"
)

func TestMatchEndpoint(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"POST", "/identityGovernance/entitlementManagement/catalogs", "POST /identityGovernance/entitlementManagement/catalogs"},
		{"PUT", "/identityGovernance/entitlementManagement/assignmentPolicies/${policy.id}?$expand=accessPackage",
			"PUT /identityGovernance/entitlementManagement/assignmentPolicies/{policyId}"},
		{"POST", "/identityGovernance/entitlementManagement/accessPackages/${package.id}/incompatibleGroups/$ref",
			"POST /identityGovernance/entitlementManagement/accessPackages/{accessPackageId}/incompatibleGroups/$ref"},
		{"POST", "/groups", ""},
		{"GET", "/identityGovernance/entitlementManagement/catalogs/${catalog.id}/resources/extra", ""},
	} {
		e, ok := conformance.MatchEndpoint(tc.method, tc.path)
		if got := e.Key(); (!ok && tc.want != "") || (ok && got != tc.want) {
			t.Errorf("MatchEndpoint(%s %s) = %q, %v; want %q", tc.method, tc.path, got, ok, tc.want)
		}
	}
}

// Every create and update page of the corpus is a shape made by its own request, and every setup step
// of a read that makes or changes an object is a shape; the object a read's values come from keeps the
// read's label.
func TestShapes(t *testing.T) {
	shapes := conformance.Shapes(loadCorpus(t))
	byLabel := map[string]conformance.Shape{}
	for _, s := range shapes {
		byLabel[s.Label()] = s
		method, _, _ := s.Request()
		if s.Step >= 0 && s.Case.Method != "GET" {
			t.Errorf("%s: made by setup step %d of a %s", s.Label(), s.Step, s.Case.Method)
		}
		if method != "POST" && method != "PATCH" && method != "PUT" {
			t.Errorf("%s: made by a %s request", s.Label(), method)
		}
	}
	for label, want := range map[string]struct {
		step     int
		endpoint string
	}{
		"https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-post-catalogs?view=graph-rest-1.0 create_accesspackagecatalog": {
			-1, "POST /identityGovernance/entitlementManagement/catalogs"},
		"https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentpolicy-get?view=graph-rest-1.0 get_accesspackageassignmentpolicy": {
			2, "POST /identityGovernance/entitlementManagement/assignmentPolicies"},
		"https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentpolicy-get?view=graph-rest-1.0 get_accesspackageassignmentpolicy (setup step 1)": {
			1, "POST /identityGovernance/entitlementManagement/accessPackages"},
		"https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-workflows?view=graph-rest-1.0 lifecycleworkflows_list_workflow (setup step 1)": {
			1, "POST /identityGovernance/lifecycleWorkflows/workflows"},
		"https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecyclemanagementsettings-update?view=graph-rest-1.0 lifecycleworkflows_update_lifecyclemanagementsettings": {
			-1, "PATCH /identityGovernance/lifecycleWorkflows/settings"},
	} {
		s, ok := byLabel[label]
		if !ok {
			t.Errorf("%s is not a shape", label)
			continue
		}
		if s.Step != want.step || s.Endpoint != want.endpoint {
			t.Errorf("%s: step %d, endpoint %q; want %d, %q", label, s.Step, s.Endpoint, want.step, want.endpoint)
		}
	}
	for _, notShape := range []string{
		"https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-delete?view=graph-rest-1.0 delete_accesspackagecatalog",
	} {
		if _, ok := byLabel[notShape]; ok {
			t.Errorf("%s makes no object but is a shape", notShape)
		}
	}
}
