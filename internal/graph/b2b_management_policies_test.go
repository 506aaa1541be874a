package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestB2BManagementPolicyCalls(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	if list, err := c.ListB2BManagementPolicies(ctx); err != nil || len(list) != 0 {
		t.Fatalf("list = %v, %v", list, err)
	}
	def, _, err := graph.WithInvitationDomains(nil, &graph.InvitationDomains{Blocked: []string{"live.com"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.CreateB2BManagementPolicy(ctx, graph.B2BManagementPolicy{DisplayName: "B2BManagementPolicy", Description: "d", Definition: def, IsOrganizationDefault: true})
	if err != nil || p.ID == "" || !p.IsDefault() {
		t.Fatalf("create %+v, %v", p, err)
	}
	allow, _, _ := graph.WithInvitationDomains(p.Definition, &graph.InvitationDomains{Allowed: []string{"contoso.com"}, IsAllowList: true})
	if err := c.UpdateB2BManagementPolicy(ctx, p.ID, graph.B2BManagementPolicy{Definition: allow}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetB2BManagementPolicy(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, err := graph.InvitationDomainsOf(got.Definition)
	if err != nil || d == nil || !d.IsAllowList || !reflect.DeepEqual(d.Allowed, []string{"contoso.com"}) {
		t.Errorf("domains %+v, %v", d, err)
	}
	if err := c.DeleteB2BManagementPolicy(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetB2BManagementPolicy(ctx, p.ID); !graph.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}
	if _, err := c.GetB2BManagementPolicy(ctx, ""); !errors.Is(err, graph.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
}

// The invitation domain part is replaced or removed; every other feature of the definition is kept.
func TestInvitationDomainsDefinition(t *testing.T) {
	t.Parallel()
	// Single quotes, as the reference's examples write definitions.
	in := []string{`{'B2BManagementPolicy':{'Version':1,'AutoRedemptionPolicy':{'Enabled':true},'InvitationsAllowedAndBlockedDomainsPolicy':{'AllowedDomains':[],'BlockedDomains':['live.com']}}}`}
	d, err := graph.InvitationDomainsOf(in)
	if err != nil || d == nil || d.IsAllowList || !reflect.DeepEqual(d.Blocked, []string{"live.com"}) {
		t.Fatalf("%+v %v", d, err)
	}
	out, rest, err := graph.WithInvitationDomains(in, &graph.InvitationDomains{Allowed: []string{"fabrikam.com"}, IsAllowList: true})
	if err != nil || !rest {
		t.Fatal(err, rest)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal([]byte(out[0]), &doc); err != nil {
		t.Fatal(err)
	}
	p := doc["B2BManagementPolicy"]
	if p["Version"] != float64(1) || p["AutoRedemptionPolicy"] == nil ||
		!reflect.DeepEqual(p["InvitationsAllowedAndBlockedDomainsPolicy"], map[string]any{"AllowedDomains": []any{"fabrikam.com"}}) {
		t.Errorf("definition %s", out[0])
	}
	out, rest, _ = graph.WithInvitationDomains(out, nil)
	if d, _ := graph.InvitationDomainsOf(out); d != nil || !rest {
		t.Errorf("removed: %s %v", out[0], rest)
	}
	out, rest, _ = graph.WithInvitationDomains([]string{`{"B2BManagementPolicy":{"Version":1,"InvitationsAllowedAndBlockedDomainsPolicy":{"BlockedDomains":[]}}}`}, nil)
	if rest || out[0] != `{"B2BManagementPolicy":{"Version":1}}` {
		t.Errorf("only the version left: %s %v", out[0], rest)
	}
	if _, err := graph.InvitationDomainsOf([]string{"not json"}); err == nil {
		t.Error("a definition that is not JSON was read")
	}
	var read graph.B2BManagementPolicy
	if err := json.Unmarshal([]byte(`{"isOrganizationDefault": "true"}`), &read); err != nil || !read.IsDefault() {
		t.Errorf("isOrganizationDefault as a string: %v %v", read, err)
	}
}
