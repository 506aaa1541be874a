package entitlement_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	helper "github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// Every duration attribute of every resource refuses months and years at plan (Graph's Edm.Duration has
// none): the check is the isoduration.Edm validator, so no attribute of the type may lack it.
func TestDurationAttributesAreEdm(t *testing.T) {
	ctx := context.Background()
	edm := isoduration.Edm().Description(ctx)
	found := 0
	var walk func(where string, attrs map[string]schema.Attribute)
	walk = func(where string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			at := where + "." + name
			switch a := a.(type) {
			case schema.StringAttribute:
				if _, ok := a.CustomType.(isoduration.DurationType); !ok || a.Computed && !a.Optional && !a.Required {
					continue
				}
				found++
				ok := false
				for _, v := range a.Validators {
					ok = ok || v.Description(ctx) == edm
				}
				if !ok {
					t.Errorf("%s is a duration attribute without isoduration.Edm()", at)
				}
			case schema.SingleNestedAttribute:
				walk(at, a.Attributes)
			case schema.ListNestedAttribute:
				walk(at, a.NestedObject.Attributes)
			case schema.SetNestedAttribute:
				walk(at, a.NestedObject.Attributes)
			case schema.MapNestedAttribute:
				walk(at, a.NestedObject.Attributes)
			}
		}
	}
	for _, newResource := range provider.New("test")().Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "entragov"}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		walk(meta.TypeName, resp.Schema.Attributes)
	}
	if found < 6 {
		t.Fatalf("found only %d duration attributes; the walk misses some", found)
	}
}

// Months and years fail at plan with the attribute path and a suggestion; none reaches the API.
func TestAccAssignmentPolicy_durationsGraphCannotTake(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []helper.TestStep
	for _, tc := range []struct{ body, want string }{
		{`expiration = { type = "afterDuration", duration = "P1M" }`,
			`Attribute expiration.duration: "P1M" is not an Edm.Duration: months have no fixed length; write days, e.g. "P30D"`},
		{`expiration = { type = "afterDuration", duration = "P1Y" }`,
			`Attribute expiration.duration: "P1Y" is not an Edm.Duration: years have no fixed length; write days, e.g. "P365D"`},
		{approvalWith(`duration_before_automatic_denial = "P1M"`),
			`Attribute request_approval_settings.stages\[0\].duration_before_automatic_denial: "P1M" is not an Edm.Duration`},
		{autoWith(`grace_period_before_access_removal = "P1Y2M"`),
			`grace_period_before_access_removal: "P1Y2M" is not an Edm.Duration: years and months`},
		{reviewScheduleWith(`duration = "P1M"`), `review_settings.schedule.duration: "P1M" is not an Edm.Duration`},
	} {
		steps = append(steps, helper.TestStep{
			Config:      e.Config(policyConfig("  display_name = \"Months\"\n" + tc.body)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(tc.want),
		})
	}
	helper.ParallelTest(t, helper.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("durations Graph cannot take reached the API: %d Graph requests", n)
	}
}

// Weeks are exact: Graph receives days, state keeps the configured weeks and the plan stays empty.
func TestAccAssignmentPolicy_weeksSentAsDays(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	body := fmt.Sprintf(`
  display_name         = "Two weeks"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  expiration           = { type = "afterDuration", duration = "P2W" }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P1W"
      escalation_enabled               = true
      duration_before_escalation       = "P0W3D"
      primary_approvers                = [{ type = "requestorManager", manager_level = 1 }]
      escalation_approvers             = [{ type = "singleUser", user_id = %q }]
    }]
  }
`, emulator.SeedUserPattiID)
	helper.ParallelTest(t, helper.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []helper.TestStep{{
			Config: e.Config(policyConfig(body)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(policyAddress, &id),
				statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("P2W")),
				statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(0).AtMapKey("duration_before_automatic_denial"), knownvalue.StringExact("P1W")),
				funcCheck(func(context.Context) error {
					p, err := e.Server.GetObject("assignmentPolicies", id.Value)
					if err != nil {
						return err
					}
					stage := p["requestApprovalSettings"].(map[string]any)["stages"].([]any)[0].(map[string]any)
					got := []any{p["expiration"].(map[string]any)["duration"], stage["durationBeforeAutomaticDenial"], stage["durationBeforeEscalation"]}
					if fmt.Sprint(got) != "[P14D P7D P3D]" {
						return fmt.Errorf("Graph received durations %v, want [P14D P7D P3D]", got)
					}
					return nil
				}),
			},
			ConfigPlanChecks: helper.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}
