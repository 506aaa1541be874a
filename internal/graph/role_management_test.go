package graph_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestRoleAssignmentCalls(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	cat, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Partners"})
	if err != nil {
		t.Fatal(err)
	}
	owner, err := c.CreateRoleAssignment(ctx, graph.RoleAssignment{PrincipalID: emulator.SeedGroupFabrikamPartnersID,
		RoleDefinitionID: graph.RoleCatalogOwner, AppScopeID: graph.CatalogScope(cat.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if graph.CatalogOfScope(owner.AppScopeID) != cat.ID || owner.DirectoryScopeID != "" {
		t.Errorf("created: %+v", owner)
	}
	creator, err := c.CreateRoleAssignment(ctx, graph.RoleAssignment{PrincipalID: emulator.SeedGroupFabrikamPartnersID,
		RoleDefinitionID: graph.RoleCatalogCreator, DirectoryScopeID: graph.TenantScope})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetRoleAssignment(ctx, owner.ID)
	if err != nil || *got != *owner {
		t.Fatalf("get: %+v %v", got, err)
	}
	// The emulator pages by two: three assignments take two pages.
	if _, err := c.CreateRoleAssignment(ctx, graph.RoleAssignment{PrincipalID: emulator.SeedGroupFabrikamPartnersID,
		RoleDefinitionID: graph.RoleCatalogReader, AppScopeID: graph.CatalogScope(cat.ID)}); err != nil {
		t.Fatal(err)
	}
	of, err := c.ListRoleAssignmentsOf(ctx, emulator.SeedGroupFabrikamPartnersID)
	if err != nil || len(of) != 3 {
		t.Fatalf("list of principal: %+v %v", of, err)
	}
	if err := c.DeleteRoleAssignment(ctx, creator.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteRoleAssignment(ctx, creator.ID); err != nil {
		t.Errorf("a second delete must succeed: %v", err)
	}
	if _, err := c.GetRoleAssignment(ctx, creator.ID); !graph.IsNotFound(err) {
		t.Errorf("deleted assignment: %v", err)
	}
	var ge *graph.Error
	_, err = c.CreateRoleAssignment(ctx, graph.RoleAssignment{PrincipalID: emulator.SeedGroupFabrikamPartnersID,
		RoleDefinitionID: graph.RoleCatalogOwner, AppScopeID: graph.CatalogScope(cat.ID)})
	if !errors.As(err, &ge) || ge.Status != http.StatusBadRequest {
		t.Errorf("duplicate: %v", err)
	}
}

func TestRoleDefinitionCalls(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	all, err := c.ListRoleDefinitions(ctx, "")
	if err != nil || len(all) != 5 {
		t.Fatalf("all: %+v %v", all, err)
	}
	one, err := c.ListRoleDefinitions(ctx, "Catalog owner")
	if err != nil || len(one) != 1 || one[0].ID != graph.RoleCatalogOwner {
		t.Fatalf("by name: %+v %v", one, err)
	}
	none, err := c.ListRoleDefinitions(ctx, "catalog OWNER")
	if err != nil || len(none) != 0 {
		t.Errorf("names compare exactly: %+v %v", none, err)
	}
}
