package graph_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestAuthorizationPolicy(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	p, err := c.GetAuthorizationPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != graph.AuthorizationPolicyID || p.AllowInvitesFrom == nil || *p.AllowInvitesFrom != "everyone" ||
		p.DefaultUserRolePermissions == nil || p.DefaultUserRolePermissions.AllowedToReadOtherUsers == nil {
		t.Fatalf("policy %+v", p)
	}
	invites, role, no := "adminsAndGuestInviters", graph.GuestRoleRestrictedGuestUser, false
	if err := c.UpdateAuthorizationPolicy(ctx, graph.AuthorizationPolicy{
		ID: "ignored", AllowInvitesFrom: &invites, GuestUserRoleID: &role,
		DefaultUserRolePermissions: &graph.DefaultUserRolePermissions{AllowedToCreateApps: &no, PermissionGrantPoliciesAssigned: &[]string{}},
	}); err != nil {
		t.Fatal(err)
	}
	p, err = c.GetAuthorizationPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := p.DefaultUserRolePermissions
	if *p.AllowInvitesFrom != invites || *p.GuestUserRoleID != role || *p.AllowedToUseSSPR != true ||
		*d.AllowedToCreateApps || !*d.AllowedToCreateSecurityGroups || d.PermissionGrantPoliciesAssigned == nil || len(*d.PermissionGrantPoliciesAssigned) != 0 {
		t.Errorf("after update %+v %+v", p, d)
	}
}

// A PATCH carries only the fields that are set: an empty consent list is sent (it disables user
// consent), unset members and the id are not.
func TestAuthorizationPolicyPatchBody(t *testing.T) {
	t.Parallel()
	c, srv := newScriptedClient(t, []scriptedReply{{status: 204}}, nil)
	yes := true
	if err := c.UpdateAuthorizationPolicy(context.Background(), graph.AuthorizationPolicy{ID: "authorizationPolicy", BlockMsolPowerShell: &yes,
		DefaultUserRolePermissions: &graph.DefaultUserRolePermissions{PermissionGrantPoliciesAssigned: &[]string{}}}); err != nil {
		t.Fatal(err)
	}
	r := srv.request(0)
	if r.Method != "PATCH" || r.URL.Path != "/v1.0/policies/authorizationPolicy" {
		t.Errorf("%s %s", r.Method, r.URL.Path)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(srv.bodies[0]), &body); err != nil {
		t.Fatal(err)
	}
	want := `{"blockMsolPowerShell":true,"defaultUserRolePermissions":{"permissionGrantPoliciesAssigned":[]}}`
	if got, _ := json.Marshal(body); string(got) != want {
		t.Errorf("body %s, want %s", got, want)
	}
}
