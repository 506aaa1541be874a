package reviews_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// A review of an access package's assignments: one decision per assigned user; a Deny applied
// removes the assignment through entitlement management (the audit trail says who and why).
func TestAccessReviewInstances_accessPackageAssignments(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	cat := e.CreateCatalog(map[string]any{"displayName": "Partners", "description": ""})["id"].(string)
	pkg := e.MustDo("POST", emulatortest.EMPath+"/accessPackages", map[string]any{
		"displayName": "Partner access", "description": "", "catalog": map[string]any{"id": cat}}, http.StatusCreated)["id"].(string)
	policy := e.MustDo("POST", emulatortest.EMPath+"/assignmentPolicies", map[string]any{
		"displayName": "Direct", "description": "", "accessPackage": map[string]any{"id": pkg}}, http.StatusCreated)["id"].(string)
	for _, u := range []string{emulator.SeedGuestBenID, emulator.SeedUserAdeleID} {
		e.MustDo("POST", emulatortest.EMPath+"/assignmentRequests", map[string]any{"requestType": "adminAdd",
			"assignment": map[string]any{"targetId": u, "assignmentPolicyId": policy, "accessPackageId": pkg}}, http.StatusCreated)
	}
	def := falconGuestReview(false)
	def["displayName"] = "Partner access assignments"
	def["scope"] = map[string]any{"@odata.type": "#microsoft.graph.accessReviewQueryScope",
		"query":     "/identityGovernance/entitlementManagement/accessPackageAssignments?$filter=(accessPackageId eq '" + pkg + "' and assignmentPolicyId eq '" + policy + "')",
		"queryType": "MicrosoftGraph"}
	id := e.MustDo("POST", defsPath, def, 201)["id"].(string)
	insts := emulatortest.ValueList(t, e.MustDo("GET", defsPath+"/"+id+"/instances", nil, 200))
	if len(insts) != 1 {
		t.Fatalf("instances: %v", insts)
	}
	path := defsPath + "/" + id + "/instances/" + insts[0]["id"].(string)
	decs := decisionsByPrincipal(t, e, path)
	if len(decs) != 2 {
		t.Fatalf("decisions: want Ben's and Adele's assignments, got %v", decs)
	}
	if r := decs[emulator.SeedUserAdeleID]["resource"].(map[string]any); r["id"] != pkg || r["type"] != "accessPackage" || r["displayName"] != "Partner access" {
		t.Errorf("resource: %v", r)
	}
	// Adele is approved; Ben is denied by default when the instance is stopped, then applied.
	e.MustDo("PATCH", path+"/decisions/"+decs[emulator.SeedUserAdeleID]["id"].(string), map[string]any{"decision": "Approve", "justification": "Partner lead"}, 204)
	e.MustDo("POST", path+"/stop", nil, 204)
	e.MustDo("POST", path+"/applyDecisions", nil, 204)
	live := func(user string) int {
		q := url.Values{"$filter": {"target/objectId eq '" + user + "'"}}
		n := 0
		for _, a := range emulatortest.ValueList(t, e.MustDo("GET", emulatortest.EMPath+"/assignments?"+q.Encode(), nil, 200)) {
			if a["state"] == "delivered" {
				n++
			}
		}
		return n
	}
	if live(emulator.SeedGuestBenID) != 0 || live(emulator.SeedUserAdeleID) != 1 {
		t.Fatalf("assignments after applying: Ben %d (want 0), Adele %d (want 1)", live(emulator.SeedGuestBenID), live(emulator.SeedUserAdeleID))
	}
	decs = decisionsByPrincipal(t, e, path)
	if b := decs[emulator.SeedGuestBenID]; b["decision"] != "Deny" || b["applyResult"] != "AppliedSuccessfully" {
		t.Errorf("Ben: %v", b)
	}
	trail, err := e.Srv.AuditTrail()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range trail {
		if a["activity"] == "assignmentRemoved" && a["initiatedBy"] == "access reviews" {
			found = true
		}
	}
	if !found {
		t.Errorf("no assignmentRemoved entry by access reviews: %v", trail)
	}
}
