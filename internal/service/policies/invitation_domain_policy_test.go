package policies_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const (
	domainsAddress = "entragov_invitation_domain_policy.test"
	// domainsObject is the name e.ParallelExclusive holds in live mode: the tenant has one B2B policy.
	domainsObject = "B2B management policy"
	// b2bCollection is the local API's store name of the policies (internal/emulator/policies).
	b2bCollection = "b2bManagementPolicies"
)

func domainsConfig(body string) string {
	return "resource \"entragov_invitation_domain_policy\" \"test\" {\n" + body + "\n}\n"
}

// domainsAre checks the list Graph holds (through the provider's own beta calls).
func domainsAre(e *acctest.Emulator, t *testing.T, allow bool, want ...string) funcCheck {
	return func(ctx context.Context) error {
		list, err := e.Client(t).ListB2BManagementPolicies(ctx)
		if err != nil {
			return err
		}
		if len(list) != 1 {
			return fmt.Errorf("the tenant has %d B2B management policies, want 1", len(list))
		}
		d, err := graph.InvitationDomainsOf(list[0].Definition)
		if err != nil || d == nil {
			return fmt.Errorf("no domain list in %v (%v)", list[0].Definition, err)
		}
		got := d.Blocked
		if allow {
			got = d.Allowed
		}
		if d.IsAllowList != allow || strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("Graph holds %+v, want allow list %v of %v", d, allow, want)
		}
		return nil
	}
}

// checkNoDomainList is the CheckDestroy: the list is gone (any domain may be invited) and a policy the
// provider created with nothing else in it is deleted.
func checkNoDomainList(e *acctest.Emulator, t *testing.T, wantPolicies int) func(*terraform.State) error {
	return func(*terraform.State) error {
		list, err := e.Client(t).ListB2BManagementPolicies(context.Background())
		if err != nil {
			return err
		}
		if len(list) != wantPolicies {
			return fmt.Errorf("%d B2B management policies after destroy, want %d", len(list), wantPolicies)
		}
		for _, p := range list {
			if d, _ := graph.InvitationDomainsOf(p.Definition); d != nil {
				return fmt.Errorf("destroy left the domain list in %v", p.Definition)
			}
		}
		return nil
	}
}

func TestAccInvitationDomainPolicy_basic(t *testing.T) {
	e := acctest.NewEmulator(t)
	e.ParallelExclusive(t, domainsObject)
	cfg := e.Config(domainsConfig(`  blocked_domains = ["gmail.com", "outlook.com"]`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoDomainList(e, t, 0),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(domainsAddress, tfjsonpath.New("id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(domainsAddress, tfjsonpath.New("blocked_domains"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("gmail.com"), knownvalue.StringExact("outlook.com")})),
				statecheck.ExpectKnownValue(domainsAddress, tfjsonpath.New("allowed_domains"), knownvalue.Null()),
				domainsAre(e, t, false, "gmail.com", "outlook.com"),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			Config:           cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: domainsAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}

// Switching from a block list to an allow list changes the policy in place; an empty block list blocks nothing.
func TestAccInvitationDomainPolicy_update(t *testing.T) {
	e := acctest.NewEmulator(t)
	e.ParallelExclusive(t, domainsObject)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoDomainList(e, t, 0),
		Steps: []resource.TestStep{{
			Config:            e.Config(domainsConfig(`  blocked_domains = ["gmail.com"]`)),
			ConfigStateChecks: []statecheck.StateCheck{domainsAre(e, t, false, "gmail.com")},
		}, {
			Config: e.Config(domainsConfig(`  allowed_domains = ["fabrikam.com", "woodgrovebank.com"]`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(domainsAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				domainsAre(e, t, true, "fabrikam.com", "woodgrovebank.com"),
				statecheck.ExpectKnownValue(domainsAddress, tfjsonpath.New("blocked_domains"), knownvalue.Null()),
			},
		}, {
			Config: e.Config(domainsConfig(`  blocked_domains = []`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(domainsAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{domainsAre(e, t, false)},
		}},
	})
}

// A tenant that already has a B2B management policy keeps it: the list is written into it, its other
// features stay, and destroy takes only the list out.
func TestAccInvitationDomainPolicy_adoptsExistingPolicy(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, domainsObject)
	var existing string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkNoDomainList(e, t, 1)(s); err != nil {
				return err
			}
			p, err := e.Client(t).GetB2BManagementPolicy(context.Background(), existing)
			if err != nil {
				return err
			}
			if !strings.Contains(p.Definition[0], `"AutoRedemptionPolicy"`) {
				return fmt.Errorf("destroy lost the policy's other features: %s", p.Definition[0])
			}
			return nil
		},
		Steps: []resource.TestStep{{
			PreConfig: func() {
				p, err := e.Client(t).CreateB2BManagementPolicy(context.Background(), graph.B2BManagementPolicy{
					DisplayName: e.Name("B2B"), Description: "made elsewhere", IsOrganizationDefault: true,
					Definition: []string{`{"B2BManagementPolicy":{"Version":1,"AutoRedemptionPolicy":{"Enabled":true}}}`},
				})
				if err != nil {
					t.Fatal(err)
				}
				existing = p.ID
				e.CreatedOutsideTerraform(1)
			},
			Config: e.Config(domainsConfig(`  allowed_domains = ["contoso.com"]`)),
			ConfigStateChecks: []statecheck.StateCheck{
				funcCheck(func(ctx context.Context) error {
					p, err := e.Client(t).GetB2BManagementPolicy(ctx, existing)
					if err != nil {
						return err
					}
					if !strings.Contains(p.Definition[0], `"AutoRedemptionPolicy"`) || !strings.Contains(p.Definition[0], `"AllowedDomains":["contoso.com"]`) {
						return fmt.Errorf("definition %s", p.Definition[0])
					}
					return nil
				}),
				domainsAre(e, t, true, "contoso.com"),
			},
		}},
	})
}

// Out-of-band changes: a list changed elsewhere is planned back; a list removed elsewhere, or its policy
// deleted, is planned as a create.
func TestAccInvitationDomainPolicy_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, domainsObject)
	cfg := e.Config(domainsConfig(`  blocked_domains = ["gmail.com"]`))
	var id string
	change := func(definition string) func() {
		return func() {
			if err := e.Server.ChangeObject(b2bCollection, id, map[string]any{"definition": []any{definition}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoDomainList(e, t, 0),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{funcCheck(func(ctx context.Context) error {
				list, err := e.Client(t).ListB2BManagementPolicies(ctx)
				if err == nil && len(list) == 1 {
					id = list[0].ID
				}
				return err
			})},
		}, {
			PreConfig: func() {
				change(`{"B2BManagementPolicy":{"Version":1,"InvitationsAllowedAndBlockedDomainsPolicy":{"BlockedDomains":["yahoo.com"]}}}`)()
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(domainsAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(domainsAddress, tfjsonpath.New("blocked_domains"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("gmail.com")})),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{domainsAre(e, t, false, "gmail.com")},
		}, {
			// Graph spells a domain in another case: the same list, no change.
			PreConfig: change(`{"B2BManagementPolicy":{"Version":1,"InvitationsAllowedAndBlockedDomainsPolicy":{"BlockedDomains":["Gmail.com"]}}}`),
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			PreConfig: change(`{"B2BManagementPolicy":{"Version":1}}`),
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(domainsAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{domainsAre(e, t, false, "gmail.com")},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject(b2bCollection, id); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(domainsAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{domainsAre(e, t, false, "gmail.com")},
		}},
	})
}

func TestAccInvitationDomainPolicy_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []resource.TestStep
	for body, want := range map[string]string{
		`allowed_domains = ["contoso.com"]
  blocked_domains = ["gmail.com"]`: `(?s)Invalid Attribute Combination.*allowed_domains.*blocked_domains`,
		``:                                   `(?s)Missing Attribute Configuration.*allowed_domains.*blocked_domains`,
		`blocked_domains = ["not a domain"]`: `(?s)blocked_domains.*must be a domain name`,
		`allowed_domains = ["https://contoso.com"]`: `(?s)allowed_domains.*must be a domain name`,
		`allowed_domains = []`:                      `(?s)allowed_domains.*at least 1`,
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(domainsConfig("  " + body)), PlanOnly: true, ExpectError: acctest.ExpectError(want)})
	}
	// A list longer than a policy may hold.
	var long []string
	for i := range 500 {
		long = append(long, fmt.Sprintf(`"partner-%03d-%s.com"`, i, strings.Repeat("a", 40)))
	}
	steps = append(steps, resource.TestStep{Config: e.Config(domainsConfig("  blocked_domains = [" + strings.Join(long, ", ") + "]")), PlanOnly: true,
		ExpectError: acctest.ExpectError(`(?s)blocked_domains.*at most 25000 characters`)})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// Terraform 1.12 and later: the resource's identity is the policy's id.
func TestAccInvitationDomainPolicy_identity(t *testing.T) {
	e := acctest.NewEmulator(t)
	e.ParallelExclusive(t, domainsObject)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkNoDomainList(e, t, 0),
		Steps: []resource.TestStep{{
			Config:            e.Config(domainsConfig(`  allowed_domains = ["fabrikam.com"]`)),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentityValueMatchesState(domainsAddress, tfjsonpath.New("id"))},
		}, acctest.ImportByIdentityStep(domainsAddress)},
	})
}
