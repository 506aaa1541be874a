package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// TestAccGuide_bringExistingTenant runs the "Bring an existing tenant under management" guide on Terraform
// 1.14 and later: objects made outside Terraform, the guide's configuration and query file, terraform query,
// the generation, a plan that only imports, the apply and an empty plan. It also checks, on any Terraform,
// that the guide's table and the resources' pages name every list resource and every argument of its config.
func TestAccGuide_bringExistingTenant(t *testing.T) {
	checkListResourceTable(t, readRepoFile(t, "templates/guides/bring-existing-tenant.md.tmpl"))
	skipWithoutQuery(t)
	w := newCLIWorkspace(t)
	makeOutsideTerraform(t, w.emulator)
	copyGuide(t, "bring-existing-tenant", w.work)
	env := w.localEnv(emulator.DefaultClientID, emulator.DefaultClientSecret)
	// Querying and generating need only the read permissions the guide names: the local API's reader app.
	reader := w.localEnv(emulator.ReaderClientID, emulator.ReaderClientSecret)

	out := w.shell(0, reader, "terraform query -no-color")
	expectLines(t, out, `list\.entragov_catalog\.all\s+id=\S+\s+Discovery\n`, `list\.entragov_catalog\.all\s+id=\S+\s+General\n`,
		`list\.entragov_catalog_resource\.all\s+catalog_id=\S+,origin_id=`+emulator.SeedGroupSalesID+`\s+Sales\n`,
		`list\.entragov_access_package\.all\s+id=\S+\s+Discovery access\n`, `list\.entragov_assignment_policy\.all\s+id=\S+\s+Employees ask\n`,
		`list\.entragov_connected_organization\.all\s+id=\S+\s+Discovery partner\n`, `list\.entragov_lifecycle_workflow\.all\s+id=\S+\s+Discovery leavers\n`)

	w.shell(0, reader, "bash generate.sh")
	generated, err := os.ReadFile(filepath.Join(w.work, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	imports := strings.Count(string(generated), "\nimport {")
	if imports < 7 {
		t.Fatalf("generated.tf holds %d import blocks, want at least the 7 objects of the tenant:\n%s", imports, generated)
	}
	expectLines(t, string(generated), `resource "entragov_catalog" "all_\d+" \{`, `(?s)import \{\s+to\s+= entragov_catalog_resource\.all_0.*?identity = \{\s+catalog_id = "`)

	out = w.shell(0, env, "terraform plan -input=false -no-color")
	expectLines(t, out, regexp.QuoteMeta("Plan: "+strconv.Itoa(imports)+" to import, 0 to add, 0 to change, 0 to destroy."))
	out = w.shell(0, env, "terraform apply -auto-approve -input=false -no-color")
	expectLines(t, out, regexp.QuoteMeta("Apply complete! Resources: "+strconv.Itoa(imports)+" imported, 0 added, 0 changed, 0 destroyed."))
	w.shell(0, env, "terraform plan -detailed-exitcode -input=false -no-color")
	// The objects stay in the local API, which ends with the test: they were made outside Terraform.
	w.countOutsideObjects()
}

// checkListResourceTable fails when the guide's table of list resources misses one the provider serves, or
// an argument of one's config.
func checkListResourceTable(t *testing.T, guide string) {
	t.Helper()
	ctx := context.Background()
	p, ok := provider.New("test")().(interface {
		ListResources(context.Context) []func() list.ListResource
	})
	if !ok {
		t.Fatal("the provider serves no list resources")
	}
	for _, newList := range p.ListResources(ctx) {
		l := newList()
		var meta resource.MetadataResponse
		l.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "entragov"}, &meta)
		row := regexp.MustCompile("(?m)^\\| `" + meta.TypeName + "` \\|.*$").FindString(guide)
		if row == "" {
			t.Errorf("the guide's table has no row for the list resource %s", meta.TypeName)
			continue
		}
		var schema list.ListResourceSchemaResponse
		l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &schema)
		// The resource's page says it can be found, with the same arguments (tfplugindocs renders list
		// resources only from Terraform 1.14's schema, so they have no pages of their own).
		page := readRepoFile(t, "templates/resources/"+strings.TrimPrefix(meta.TypeName, "entragov_")+".md.tmpl")
		section := page[strings.Index(page, "## Finding existing objects")+1:]
		if !strings.Contains(page, "## Finding existing objects") || !strings.Contains(section, "`"+meta.TypeName+"` list resource") {
			t.Errorf("the page of %s has no section on its list resource", meta.TypeName)
		}
		for name := range schema.Schema.Attributes {
			if !strings.Contains(row, "`"+name+"`") {
				t.Errorf("the guide's row for %s does not name its argument %s", meta.TypeName, name)
			}
			if !strings.Contains(section, "`"+name+"`") {
				t.Errorf("the page of %s does not name its list resource's argument %s", meta.TypeName, name)
			}
		}
	}
}
