package acctest

import (
	"context"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Sweep lists, then deletes, exactly the objects whose names carry the prefix, children first, and
// leaves everything else.
func TestSweepDeletesOnlyPrefixedObjects(t *testing.T) {
	if Live() {
		t.Skip("this test starts its own local API")
	}
	e := NewEmulator(t, NeedsControl, NeedsSeededDirectory)
	c := e.Client(t)
	ctx := context.Background()
	left, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "tfacc-1a2b3c-Partners"})
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := c.CreateAccessPackage(ctx, left.ID, graph.AccessPackageCreate{DisplayName: "tfacc-1a2b3c-Design"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAssignmentPolicy(ctx, pkg.ID, graph.AssignmentPolicy{DisplayName: "tfacc-1a2b3c-Direct", AllowedTargetScope: "notSpecified"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddCatalogResource(ctx, left.ID, "AadGroup", emulator.SeedGroupSalesID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateConnectedOrganization(ctx, graph.ConnectedOrganization{DisplayName: "tfacc-1a2b3c-Fabrikam",
		IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: "fabrikam.example", DisplayName: "Fabrikam"}}}); err != nil {
		t.Fatal(err)
	}
	kept, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Partners"})
	if err != nil {
		t.Fatal(err)
	}
	keptPkg, err := c.CreateAccessPackage(ctx, kept.ID, graph.AccessPackageCreate{DisplayName: "tfacc-1a2b3c-inside a kept catalog"})
	if err != nil {
		t.Fatal(err)
	}

	var said []string
	if err := Sweep(ctx, c, "tfacc-", false, func(s string) { said = append(said, s) }); err != nil {
		t.Fatal(err)
	}
	dry := strings.Join(said, "\n")
	for _, want := range []string{`would delete catalog "tfacc-1a2b3c-Partners"`, `would delete access package "tfacc-1a2b3c-Design"`,
		`would delete assignment policy "tfacc-1a2b3c-Direct"`, "would delete catalog resource " + emulator.SeedGroupSalesID,
		`would delete connected organization "tfacc-1a2b3c-Fabrikam"`} {
		if !strings.Contains(dry, want) {
			t.Errorf("the dry run does not say %q:\n%s", want, dry)
		}
	}
	if strings.Contains(dry, `"Partners"`) || strings.Contains(dry, "inside a kept catalog") {
		t.Errorf("the dry run would touch an object outside the prefix:\n%s", dry)
	}
	if _, err := c.GetCatalog(ctx, left.ID); err != nil {
		t.Fatalf("the dry run deleted something: %v", err)
	}

	said = nil
	if err := Sweep(ctx, c, "tfacc-", true, func(s string) { said = append(said, s) }); err != nil {
		t.Fatalf("sweep: %v\n%s", err, strings.Join(said, "\n"))
	}
	if _, err := c.GetCatalog(ctx, left.ID); !graph.IsNotFound(err) {
		t.Errorf("the prefixed catalog is still there (%v):\n%s", err, strings.Join(said, "\n"))
	}
	if orgs, _ := c.ListConnectedOrganizationsByName(ctx, "tfacc-1a2b3c-Fabrikam"); len(orgs) != 0 {
		t.Errorf("the prefixed connected organization is still there")
	}
	if _, err := c.GetAccessPackage(ctx, keptPkg.ID); err != nil {
		t.Errorf("a package in a catalog outside the prefix was deleted: %v", err)
	}
	if err := Sweep(ctx, c, "tf", true, func(string) {}); err == nil {
		t.Error("a two-letter prefix was accepted")
	}
}
