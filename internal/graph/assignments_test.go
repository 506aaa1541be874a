package graph_test

import (
	"context"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestReprocessAssignment: a delivered assignment is reprocessed (202); an unknown one is a 404.
func TestReprocessAssignment(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, nil)
	ctx := context.Background()
	cat, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Reprocess"})
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := c.CreateAccessPackage(ctx, cat.ID, graph.AccessPackageCreate{DisplayName: "Reprocess", Catalog: graph.IDRef{ID: cat.ID}})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := c.CreateAssignmentPolicy(ctx, pkg.ID, graph.AssignmentPolicy{DisplayName: "Direct", AllowedTargetScope: "notSpecified"})
	if err != nil {
		t.Fatal(err)
	}
	req, err := c.AssignAccessPackage(ctx, emulator.SeedUserAdeleID, pkg.ID, pol.ID, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForRequest(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	found, err := c.ListAssignments(ctx, graph.AssignmentFilter{AccessPackageID: pkg.ID})
	if err != nil || len(found) != 1 {
		t.Fatalf("assignments %+v, %v", found, err)
	}
	if err := c.ReprocessAssignment(ctx, found[0].ID); err != nil {
		t.Fatal(err)
	}
	stored, err := srv.GetObject("assignments", found[0].ID)
	if err != nil || stored["_reprocessedDateTime"] == nil {
		t.Errorf("reprocess not recorded: %v, %v", stored, err)
	}
	if err := c.ReprocessAssignment(ctx, "00000000-0000-0000-0000-0000000000ff"); !graph.IsNotFound(err) {
		t.Errorf("unknown assignment: %v", err)
	}
}
