package provider_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// Every resource and data-source example in the docs applies against the local governance API and
// re-plans empty, so users can copy them as they are.
func TestAccExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/resources/*/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	dataSources, err := filepath.Glob("../../examples/data-sources/*/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, dataSources...)
	if len(files) < 10 {
		t.Fatalf("found only %d examples; is the working directory right?", len(files))
	}
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			e := acctest.NewEmulator(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: e.Config(string(body)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				}},
			})
		})
	}
}
