package graph_test

import (
	"context"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// One read per refresh: the sponsors come with the organization when the service expands them.
func TestConnectedOrganizationSponsorsInOneRead(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, nil)
	ctx := context.Background()
	org, err := c.CreateConnectedOrganization(ctx, graph.ConnectedOrganization{
		DisplayName: "Fabrikam", IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: "fabrikam.com", DisplayName: "Fabrikam"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddSponsor(ctx, org.ID, graph.ExternalSponsors, emulator.SeedGuestBenID); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequestCount()
	got, internal, external, expanded, err := c.GetConnectedOrganizationWithSponsors(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !expanded || got.DisplayName != "Fabrikam" || len(internal) != 0 || len(external) != 1 || external[0].ID != emulator.SeedGuestBenID {
		t.Fatalf("expanded=%v org=%+v internal=%v external=%v", expanded, got, internal, external)
	}
	if n := srv.RequestCount().Total; n != 1 {
		t.Fatalf("want one request, got %d", n)
	}
}

// A service that ignores the expansion is noticed, so the caller lists the sponsors itself.
func TestConnectedOrganizationWithoutExpansion(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, []scriptedReply{{status: 200, body: `{"id":"o1","displayName":"Fabrikam","description":"","identitySources":[]}`}}, nil)
	_, _, _, expanded, err := c.GetConnectedOrganizationWithSponsors(context.Background(), "o1")
	if err != nil || expanded {
		t.Fatalf("want expanded=false without the lists, got %v, %v", expanded, err)
	}
}
