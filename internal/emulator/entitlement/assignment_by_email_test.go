package entitlement_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// An assignment for someone not in the directory yet (Example 5 of the create page): the person is
// invited as a guest, the assignment waits in delivering without granting anything, and the guest's
// redemption delivers it.
func TestAssignmentByEmailWaitsForRedemption(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{})
	external := f.minimal("External users")
	external["allowedTargetScope"] = "allExternalUsers"
	policy := f.create(external)["id"].(string)
	byEmail := func(email, policy string) map[string]any {
		return map[string]any{"requestType": "adminAdd",
			"assignment": map[string]any{"target": map[string]any{"email": email}, "assignmentPolicyId": policy, "accessPackageId": f.pkg}}
	}

	// A policy for directory users only, and a malformed address, are refused naming the attribute.
	resp, body := f.e.Do("POST", asgReqPath, byEmail("nina@fabrikam.com", f.policy))
	govWantErr(t, resp, body, http.StatusBadRequest, "BadRequest")
	resp, body = f.e.Do("POST", asgReqPath, byEmail("nina at fabrikam", policy))
	govWantErr(t, resp, body, http.StatusBadRequest, "BadRequest")

	req := f.wait(f.request(byEmail("nina@fabrikam.com", policy))["id"].(string))
	polSubset(t, "request", map[string]any{"state": "delivering", "status": "PendingAcceptance"}, req)
	q := url.Values{"$filter": {"assignmentPolicy/id eq '" + policy + "'"}, "$expand": {"target"}}
	_, list := f.e.Do("GET", asgPath+"?"+q.Encode(), nil)
	vals := govList(t, list)
	if len(vals) != 1 {
		t.Fatalf("assignments %v", vals)
	}
	asg := vals[0]
	target := asg["target"].(map[string]any)
	guest := target["objectId"].(string)
	polSubset(t, "assignment", map[string]any{"state": "delivering", "status": "PendingAcceptance"}, asg)
	if target["email"] != "nina@fabrikam.com" || f.isMember(guest) {
		t.Fatalf("target %v, member %v: want the invited email and no membership yet", target, f.isMember(guest))
	}
	user, err := f.e.Srv.GetObject("users", guest)
	if err != nil || user["userType"] != "Guest" || user["externalUserState"] != "PendingAcceptance" {
		t.Fatalf("invited user %v (%v)", user, err)
	}

	// A second request for the same email finds the same guest: a duplicate assignment is refused.
	resp, body = f.e.Do("POST", asgReqPath, byEmail("nina@fabrikam.com", policy))
	govWantErr(t, resp, body, http.StatusBadRequest, "BadRequest")

	resp, body = f.e.Do("POST", "/_emulator/users/"+guest+"/redeem", nil)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("redeem: %d %v", resp.StatusCode, body)
	}
	_, got := f.e.Do("GET", asgPath+"/"+asg["id"].(string), nil)
	polSubset(t, "assignment", map[string]any{"state": "delivered", "status": "Delivered"}, got)
	_, got = f.e.Do("GET", asgReqPath+"/"+req["id"].(string), nil)
	polSubset(t, "request", map[string]any{"state": "delivered", "status": "Delivered"}, got)
	if !f.isMember(guest) {
		t.Fatal("the redeemed guest did not get the package's group")
	}
}
