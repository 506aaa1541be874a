package provider_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// generateConfigCase is one resource type imported into an empty configuration: setup makes the objects
// with a first apply in a workspace of its own (and removes them from that state), then a second
// workspace holds only import blocks and lets Terraform write the resources' configuration.
type generateConfigCase struct {
	name string
	// prepare makes objects through the API, as other tools and the portal do (and custom extensions,
	// which Terraform does not manage); it returns values for setup's fmt verbs and the import ids of
	// the objects to import that setup does not make, by address.
	prepare func(t *testing.T, w *cliWorkspace) (args []any, imports map[string]string)
	// setup is the first workspace's configuration; it holds the resources to import.
	setup string
	// imports are the resources to import, by address, each with its import id built from its values
	// in the setup state.
	imports map[string]func(values map[string]any) string
	// want are strings the generated configuration must hold: values that prove the generated
	// resources are the rich objects of setup, not empty ones.
	want []string
	// planFails, when set, are the messages of a generation that cannot work, for a documented reason:
	// the plan must fail with them, after writing the configuration.
	planFails []string
}

func byID(values map[string]any) string { return values["id"].(string) }

// importEach imports every listed address by its id.
func importEach(addresses ...string) map[string]func(map[string]any) string {
	m := make(map[string]func(map[string]any) string, len(addresses))
	for _, a := range addresses {
		m[a] = byID
	}
	return m
}

var generateConfigCases = []generateConfigCase{
	{
		name: "catalog",
		setup: `
resource "entragov_catalog" "published" {
  display_name       = "Partner onboarding"
  description        = "Made elsewhere"
  state              = "published"
  externally_visible = true
}

resource "entragov_catalog" "unpublished" {
  display_name       = "Finance pilot"
  state              = "unpublished"
  externally_visible = false
}

resource "entragov_catalog" "minimal" {
  display_name = "Minimal"
}
`,
		imports: importEach("entragov_catalog.published", "entragov_catalog.unpublished", "entragov_catalog.minimal"),
		want:    []string{`"Partner onboarding"`, `"unpublished"`, `"Made elsewhere"`},
	},
	{
		name: "catalog_resource",
		setup: `
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

resource "entragov_catalog" "parent" {
  display_name = "Generated resources"
}

resource "entragov_catalog_resource" "group" {
  catalog_id    = entragov_catalog.parent.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_catalog_resource" "application" {
  catalog_id    = entragov_catalog.parent.id
  origin_system = "AadApplication"
  origin_id     = "5eed0005-0000-4000-8000-000000000001"
}

resource "entragov_catalog_resource" "site" {
  catalog_id    = entragov_catalog.parent.id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/generated"
}
`,
		imports: func() map[string]func(map[string]any) string {
			byOrigin := func(v map[string]any) string { return v["catalog_id"].(string) + "/" + v["origin_id"].(string) }
			return map[string]func(map[string]any) string{
				"entragov_catalog_resource.group": byOrigin, "entragov_catalog_resource.application": byOrigin,
				"entragov_catalog_resource.site": byOrigin,
			}
		}(),
		want: []string{`"SharePointOnline"`, `"https://contoso.sharepoint.com/sites/generated"`, `"AadApplication"`, `"AadGroup"`},
	},
	{
		name: "access_package",
		setup: `
data "entragov_group" "finance" {
  display_name = "Finance"
}

resource "entragov_catalog" "parent" {
  display_name = "Generated packages"
}

resource "entragov_access_package" "other" {
  catalog_id   = entragov_catalog.parent.id
  display_name = "Other"
}

resource "entragov_access_package" "rich" {
  catalog_id                      = entragov_catalog.parent.id
  display_name                    = "Generated package"
  description                     = "Hidden, with incompatibilities"
  hidden                          = true
  incompatible_group_ids          = [data.entragov_group.finance.id]
  incompatible_access_package_ids = [entragov_access_package.other.id]
}
`,
		imports: importEach("entragov_access_package.rich", "entragov_access_package.other"),
		want:    []string{`"Generated package"`, `hidden`, `incompatible_group_ids`},
	},
	{
		name: "access_package_resource_role_scope",
		setup: `
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

resource "entragov_catalog" "parent" {
  display_name = "Generated role scopes"
}

resource "entragov_catalog_resource" "team" {
  catalog_id    = entragov_catalog.parent.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_catalog_resource" "expenses" {
  catalog_id    = entragov_catalog.parent.id
  origin_system = "AadApplication"
  origin_id     = "5eed0005-0000-4000-8000-000000000001"
}

resource "entragov_catalog_resource" "site" {
  catalog_id    = entragov_catalog.parent.id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/falcon"
}

resource "entragov_access_package" "parent" {
  catalog_id   = entragov_catalog.parent.id
  display_name = "Falcon member"
}

resource "entragov_access_package_resource_role_scope" "team" {
  access_package_id   = entragov_access_package.parent.id
  catalog_resource_id = entragov_catalog_resource.team.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

resource "entragov_access_package_resource_role_scope" "submit_expenses" {
  access_package_id   = entragov_access_package.parent.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = one([for role in entragov_catalog_resource.expenses.roles : role.origin_id if role.display_name == "Submitter"])
}

resource "entragov_access_package_resource_role_scope" "site_member" {
  access_package_id   = entragov_access_package.parent.id
  catalog_resource_id = entragov_catalog_resource.site.id
  role_origin_id      = "5"
}
`,
		imports: func() map[string]func(map[string]any) string {
			byPackage := func(v map[string]any) string { return v["access_package_id"].(string) + "/" + v["id"].(string) }
			return map[string]func(map[string]any) string{
				"entragov_access_package_resource_role_scope.team":            byPackage,
				"entragov_access_package_resource_role_scope.submit_expenses": byPackage,
				"entragov_access_package_resource_role_scope.site_member":     byPackage,
			}
		}(),
		want: []string{`role_origin_id`, `"Member_`, `"5"`},
	},
	{
		name: "access_package_incompatibility",
		setup: `
resource "entragov_catalog" "parent" {
  display_name = "Generated incompatibilities"
}

resource "entragov_access_package" "buyer" {
  catalog_id   = entragov_catalog.parent.id
  display_name = "Buyer"
}

resource "entragov_access_package" "approver" {
  catalog_id   = entragov_catalog.parent.id
  display_name = "Approver"
}

resource "entragov_access_package_incompatibility" "test" {
  access_package_id              = entragov_access_package.buyer.id
  incompatible_access_package_id = entragov_access_package.approver.id
}
`,
		imports: map[string]func(map[string]any) string{
			"entragov_access_package_incompatibility.test": func(v map[string]any) string {
				return v["access_package_id"].(string) + "/" + v["incompatible_access_package_id"].(string)
			},
		},
		want: []string{`incompatible_access_package_id`},
	},
	{
		name: "catalog_role_assignment",
		setup: `
resource "entragov_catalog" "parent" {
  display_name = "Generated delegation"
}

data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

data "entragov_group" "sales" {
  display_name = "Sales"
}

resource "entragov_catalog_role_assignment" "owner" {
  catalog_id         = entragov_catalog.parent.id
  principal_id       = data.entragov_group.falcon.id
  role_definition_id = "` + graph.RoleCatalogOwner + `"
}

resource "entragov_catalog_role_assignment" "creator" {
  directory_scope_id = "/"
  principal_id       = data.entragov_group.sales.id
  role_definition_id = "` + graph.RoleCatalogCreator + `"
}
`,
		imports: map[string]func(map[string]any) string{
			"entragov_catalog_role_assignment.owner":   func(v map[string]any) string { return v["id"].(string) },
			"entragov_catalog_role_assignment.creator": func(v map[string]any) string { return v["id"].(string) },
		},
		want: []string{`catalog_id`, `directory_scope_id = "/"`, graph.RoleCatalogCreator},
	},
	{
		name: "catalog_custom_extension",
		setup: `
resource "entragov_catalog" "parent" {
  display_name = "Generated extensions"
}

resource "entragov_catalog_custom_extension" "test" {
  catalog_id   = entragov_catalog.parent.id
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = "Check the partner's contract"
  endpoint_configuration = {
    subscription_id         = "38ab2ccc-3747-4567-b36b-9478f5602f0d"
    resource_group_name     = "rg-governance"
    logic_app_workflow_name = "check-partner-contract"
  }
  authentication_configuration = {
    type        = "azureAdTokenAuthentication"
    resource_id = "542dc01a-0b5d-4edc-b3f9-5cfe6393f557"
  }
  client_configuration = {
    maximum_retries         = 1
    timeout_in_milliseconds = 1000
  }
  callback_configuration = {
    timeout_duration = "PT1H"
  }
}
`,
		imports: map[string]func(map[string]any) string{
			"entragov_catalog_custom_extension.test": func(v map[string]any) string {
				return v["catalog_id"].(string) + "/" + v["id"].(string)
			},
		},
		want: []string{`"accessPackageAssignmentRequestWorkflowExtension"`, `"check-partner-contract"`, `timeout_in_milliseconds = 1000`, `"PT1H"`},
	},
	{
		name: "custom_task_extension",
		setup: `
resource "entragov_custom_task_extension" "test" {
  display_name = "Grant manager access"
  endpoint_configuration = {
    subscription_id         = "c500b67c-e9b7-4ad2-a90d-77d41385ae55"
    resource_group_name     = "rg-lifecycle"
    logic_app_workflow_name = "manager-access"
  }
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
  callback_configuration = {
    timeout_duration   = "PT30M"
    authorized_app_ids = ["4f3c1b5e-2d6a-4e8b-9c7d-1a2b3c4d5e6f"]
  }
}
`,
		imports: importEach("entragov_custom_task_extension.test"),
		want:    []string{`"manager-access"`, `"PT30M"`, `"4f3c1b5e-2d6a-4e8b-9c7d-1a2b3c4d5e6f"`},
	},
	{
		name: "assignment_policy",
		// The catalog and its custom extensions come from the API: Terraform does not manage extensions.
		prepare: func(t *testing.T, w *cliWorkspace) ([]any, map[string]string) {
			ctx := acctest.Context(t)
			client := w.emulator.Client(t)
			catalog, err := client.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Generated policies"})
			if err != nil {
				t.Fatal(err)
			}
			extension := func(typ, name string) string {
				ext, err := client.CreateCustomWorkflowExtension(ctx, catalog.ID, graph.CustomWorkflowExtension{
					Type: typ, DisplayName: name,
					EndpointConfiguration: &graph.LogicAppEndpointConfiguration{
						SubscriptionID: "38ab2ccc-3747-4567-b36b-9478f5602f0d", ResourceGroupName: "governance", LogicAppWorkflowName: name,
					},
					AuthenticationConfiguration: &graph.ExtensionAuthentication{Type: "#microsoft.graph.azureAdPopTokenAuthentication"},
				})
				if err != nil {
					t.Fatal(err)
				}
				return ext.ID
			}
			onGrant := extension(graph.RequestWorkflowExtensionType, "notify-ticketing")
			beforeExpiry := extension(graph.AssignmentWorkflowExtensionType, "remind-sponsor")
			w.emulator.CreatedOutsideTerraform(3)
			return []any{catalog.ID, onGrant, beforeExpiry}, nil
		},
		setup: `
data "entragov_group" "finance" {
  display_name = "Finance"
}

data "entragov_group" "engineering" {
  display_name = "Engineering"
}

data "entragov_user" "project_lead" {
  user_principal_name = "PattiF@contoso.onmicrosoft.com"
}

resource "entragov_connected_organization" "fabrikam" {
  display_name     = "Fabrikam"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" }]
}

resource "entragov_access_package" "parent" {
  catalog_id   = %[1]q
  display_name = "Design project"
}

# Graph allows one auto-assignment policy per package.
resource "entragov_access_package" "second" {
  catalog_id   = %[1]q
  display_name = "Engineering tools"
}

# Everything at once: self-service and on-behalf requests, two approval stages with escalation,
# quarterly reviews, both kinds of questions, custom extensions at two stages.
resource "entragov_assignment_policy" "employees" {
  access_package_id    = entragov_access_package.parent.id
  display_name         = "Employees"
  description          = "Members request; manager, then project lead approve; reviewed quarterly"
  allowed_target_scope = "allMemberUsers"
  expiration           = { type = "afterDuration", duration = "P365D" }

  requestor_settings = {
    enable_targets_to_self_add_access         = true
    enable_targets_to_self_update_access      = true
    enable_targets_to_self_remove_access      = true
    enable_on_behalf_requestors_to_add_access = true
    on_behalf_requestors                      = [{ type = "targetManager", manager_level = 1 }]
  }

  request_approval_settings = {
    approval_required_for_add        = true
    requestor_justification_required = true
    stages = [
      {
        duration_before_automatic_denial = "P7D"
        approver_justification_required  = true
        escalation_enabled               = true
        duration_before_escalation       = "P2D"
        primary_approvers                = [{ type = "requestorManager", manager_level = 1 }]
        fallback_primary_approvers       = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }]
        escalation_approvers             = [{ type = "groupMembers", group_id = data.entragov_group.finance.id }]
        fallback_escalation_approvers    = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }]
      },
      {
        duration_before_automatic_denial = "P14D"
        primary_approvers                = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }]
        approver_information_visibility  = "visible"
      },
    ]
  }

  review_settings = {
    expiration_behavior = "removeAccess"
    primary_reviewers   = [{ type = "requestorManager", manager_level = 1 }]
    fallback_reviewers  = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }

  questions = [
    {
      type                 = "accessPackageTextInputQuestion"
      text                 = "Project code?"
      required             = true
      single_line_question = true
      regex_pattern        = "^[A-Z]{2}-[0-9]{4}$"
      localizations        = [{ language_code = "fr-CA", text = "Code du projet?" }]
    },
    {
      type                       = "accessPackageMultipleChoiceQuestion"
      text                       = "Which office do you work from?"
      multiple_selection_allowed = false
      choices = [
        { actual_value = "SEA", text = "Seattle" },
        { actual_value = "LON", text = "London", localizations = [{ language_code = "fr", text = "Londres" }] },
      ]
    },
  ]

  custom_extension_stage_settings = [
    { stage = "assignmentRequestGranted", custom_extension_id = %[2]q },
    { stage = "assignmentFourteenDaysBeforeExpiration", custom_extension_id = %[3]q },
  ]

  notification_settings = { assignment_notification_disabled = false }
}

# A partner's users request; its internal sponsors approve.
resource "entragov_assignment_policy" "partners" {
  access_package_id    = entragov_access_package.parent.id
  display_name         = "Fabrikam consultants"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = entragov_connected_organization.fabrikam.id },
  ]
  expiration         = { type = "afterDateTime", end_date_time = "2030-06-30T00:00:00Z" }
  requestor_settings = { enable_targets_to_self_add_access = true, allow_custom_assignment_schedule = true }
  request_approval_settings = {
    approval_required_for_add    = true
    approval_required_for_update = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "internalSponsors" }, { type = "externalSponsors" }]
    }]
  }
  questions = [{
    type                       = "accessPackageMultipleChoiceQuestion"
    text                       = "Which projects?"
    answer_editable            = true
    multiple_selection_allowed = true
    choices                    = [{ actual_value = "A", text = "Alpha" }, { actual_value = "B", text = "Beta" }]
  }, {
    type = "accessPackageTextInputQuestion"
    text = "Anything else?"
  }]
  notification_settings = { assignment_notification_disabled = true }
}

# Auto-assignment by an attribute rule, with a grace period.
resource "entragov_assignment_policy" "automatic" {
  access_package_id    = entragov_access_package.parent.id
  display_name         = "Sales department"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Sales\")", description = "Sales" },
  ]
  automatic_request_settings = {
    request_access_for_allowed_targets               = true
    remove_access_when_target_leaves_allowed_targets = true
    grace_period_before_access_removal               = "P7D"
  }
  expiration = { type = "noExpiration" }
}

# Auto-assignment that keeps access when users stop matching.
resource "entragov_assignment_policy" "automatic_keep" {
  access_package_id    = entragov_access_package.second.id
  display_name         = "Engineering department"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Engineering\")" },
  ]
  automatic_request_settings = {
    remove_access_when_target_leaves_allowed_targets = false
  }
}

# Group members for eight hours; weekly self-reviews that end after a date.
resource "entragov_assignment_policy" "break_glass" {
  access_package_id    = entragov_access_package.parent.id
  display_name         = "Break-glass"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "groupMembers", group_id = data.entragov_group.engineering.id },
    { type = "singleUser", user_id = data.entragov_user.project_lead.id },
  ]
  requestor_settings = { enable_targets_to_self_add_access = true }
  expiration         = { type = "afterDuration", duration = "PT8H" }
  review_settings = {
    expiration_behavior             = "keepAccess"
    self_review                     = true
    recommendation_enabled          = false
    reviewer_justification_required = false
    schedule = {
      start_date_time = "2027-01-04T09:00:00Z"
      duration        = "P3D"
      recurrence = {
        pattern = { type = "weekly", days_of_week = ["monday", "thursday"], first_day_of_week = "monday" }
        range   = { type = "endDate", start_date = "2027-01-04", end_date = "2027-12-31", recurrence_time_zone = "UTC" }
      }
    }
  }
}

# Monthly reviews on the first Monday, a fixed number of times; three approval stages.
resource "entragov_assignment_policy" "relative_reviews" {
  access_package_id    = entragov_access_package.parent.id
  display_name         = "Relative reviews"
  allowed_target_scope = "allDirectoryUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [
      { duration_before_automatic_denial = "P2D", primary_approvers = [{ type = "requestorManager", manager_level = 2 }], fallback_primary_approvers = [{ type = "internalSponsors" }] },
      { duration_before_automatic_denial = "P3D", primary_approvers = [{ type = "groupMembers", group_id = data.entragov_group.finance.id, description = "Finance" }] },
      { duration_before_automatic_denial = "PT12H", primary_approvers = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }], approver_information_visibility = "notVisible" },
    ]
  }
  review_settings = {
    enabled             = true
    expiration_behavior = "acceptAccessRecommendation"
    primary_reviewers   = [{ type = "groupMembers", group_id = data.entragov_group.finance.id }]
    schedule = {
      start_date_time = "2027-02-01T00:00:00Z"
      duration        = "P7D"
      recurrence = {
        pattern = { type = "relativeMonthly", days_of_week = ["monday"], index = "first" }
        range   = { type = "numbered", start_date = "2027-02-01", number_of_occurrences = 6 }
      }
    }
  }
}

# Reviews switched off but kept in the configuration.
resource "entragov_assignment_policy" "reviews_off" {
  access_package_id    = entragov_access_package.parent.id
  display_name         = "Reviews off"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  review_settings = {
    enabled             = false
    expiration_behavior = "keepAccess"
    primary_reviewers   = [{ type = "requestorManager", manager_level = 1 }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteYearly", month = 3, day_of_month = 15 } }
    }
  }
}

# Administrators assign directly; nothing else set.
resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.parent.id
  display_name      = "Direct assignment"
}
`,
		imports: importEach("entragov_assignment_policy.employees", "entragov_assignment_policy.partners",
			"entragov_assignment_policy.automatic", "entragov_assignment_policy.automatic_keep", "entragov_assignment_policy.break_glass",
			"entragov_assignment_policy.relative_reviews", "entragov_assignment_policy.reviews_off", "entragov_assignment_policy.direct"),
		want: []string{`"requestorManager"`, `"groupMembers"`, `"P14D"`, `"absoluteMonthly"`, `"Code du projet?"`,
			`"Londres"`, `"assignmentFourteenDaysBeforeExpiration"`, `"targetManager"`, `"connectedOrganizationMembers"`,
			`"attributeRuleMembers"`, `"PT8H"`, `"relativeMonthly"`, `"2027-12-31"`, `"absoluteYearly"`, `"noExpiration"`},
	},
	{
		// Policies written by other tools or the portal, in shapes Terraform itself never sends: settings
		// that are off but keep their values, which Graph returns all the same.
		name: "assignment_policy_made_elsewhere",
		prepare: func(t *testing.T, w *cliWorkspace) ([]any, map[string]string) {
			ctx := acctest.Context(t)
			client := w.emulator.Client(t)
			catalog, err := client.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Made elsewhere"})
			if err != nil {
				t.Fatal(err)
			}
			pkg := func(name string) string {
				p, err := client.CreateAccessPackage(ctx, catalog.ID, graph.AccessPackageCreate{DisplayName: name})
				if err != nil {
					t.Fatal(err)
				}
				return p.ID
			}
			requests, automatic := pkg("Requests"), pkg("Automatic")
			w.emulator.CreatedOutsideTerraform(3)
			lead := graph.SubjectSet{Type: graph.SubjectSingleUser, UserID: "5eed0001-0000-4000-8000-000000000001"}
			policy := func(packageID string, p graph.AssignmentPolicy) string {
				made, err := client.CreateAssignmentPolicy(ctx, packageID, p)
				if err != nil {
					t.Fatal(err)
				}
				return made.ID
			}
			grace := "P7D"
			return nil, map[string]string{
				// Escalation switched off after it was set up: the delay and the escalation approvers stay.
				"entragov_assignment_policy.escalation_off": policy(requests, graph.AssignmentPolicy{
					DisplayName: "Escalation off", AllowedTargetScope: "allMemberUsers",
					RequestorSettings: &graph.RequestorSettings{EnableTargetsToSelfAddAccess: true},
					RequestApprovalSettings: &graph.ApprovalSettings{IsApprovalRequiredForAdd: true, Stages: []graph.ApprovalStage{{
						DurationBeforeAutomaticDenial: "P7D", DurationBeforeEscalation: "P2D",
						PrimaryApprovers:            []graph.SubjectSet{{Type: graph.SubjectRequestorManager, ManagerLevel: 1}},
						EscalationApprovers:         []graph.SubjectSet{lead},
						FallbackEscalationApprovers: []graph.SubjectSet{lead},
					}}},
				}),
				// Removal switched off: the grace period stays.
				"entragov_assignment_policy.keep_access": policy(automatic, graph.AssignmentPolicy{
					DisplayName: "Keep access", AllowedTargetScope: "specificDirectoryUsers",
					SpecificAllowedTargets: []graph.SubjectSet{{Type: graph.SubjectAttributeRuleMembers, MembershipRule: `(user.department -eq "Sales")`}},
					AutomaticRequestSettings: &graph.AutomaticRequestSettings{
						RequestAccessForAllowedTargets: true, GracePeriodBeforeAccessRemoval: &grace,
					},
				}),
			}
		},
		want: []string{`"Escalation off"`, `"Keep access"`, `remove_access_when_target_leaves_allowed_targets = false`},
	},
	{
		name: "connected_organization",
		setup: `
data "entragov_user" "partner_manager" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

data "entragov_user" "fabrikam_lead" {
  mail = "ben@fabrikam.com"
}

resource "entragov_connected_organization" "domain" {
  display_name = "Fabrikam"
  description  = "Design agency"
  state        = "configured"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
  internal_sponsor_ids = [data.entragov_user.partner_manager.id]
  external_sponsor_ids = [data.entragov_user.fabrikam_lead.id]
}

resource "entragov_connected_organization" "tenant" {
  display_name = "Northwind Traders"
  state        = "proposed"
  identity_sources = [
    { type = "azureActiveDirectoryTenant", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "Northwind Traders" },
  ]
}

resource "entragov_connected_organization" "cross_cloud" {
  display_name = "Tailspin (US Gov)"
  identity_sources = [
    { type = "crossCloudAzureActiveDirectoryTenant", tenant_id = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", cloud_instance = "microsoftonline.us", display_name = "Tailspin" },
  ]
}

resource "entragov_connected_organization" "federation" {
  display_name = "Litware"
  identity_sources = [
    { type = "externalDomainFederation", domain_name = "litware.com", issuer_uri = "https://idp.litware.com/saml", display_name = "Litware" },
  ]
}
`,
		imports: importEach("entragov_connected_organization.domain", "entragov_connected_organization.tenant",
			"entragov_connected_organization.cross_cloud", "entragov_connected_organization.federation"),
		want: []string{`"fabrikam.com"`, `"domainIdentitySource"`, `internal_sponsor_ids`, `external_sponsor_ids`, `"proposed"`,
			`"microsoftonline.us"`, `"https://idp.litware.com/saml"`},
	},
	{
		// Graph may answer a connected organization without its identity source (spec 1.8): the
		// configuration cannot be generated from what it returns.
		name: "connected_organization_without_identity_source",
		prepare: func(t *testing.T, w *cliWorkspace) ([]any, map[string]string) {
			ctx := acctest.Context(t)
			org, err := w.emulator.Client(t).CreateConnectedOrganization(ctx, graph.ConnectedOrganization{
				DisplayName: "Contoso partner", State: "configured",
				IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: "partner.example.com", DisplayName: "Partner"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.emulator.Server.ChangeObject("connectedOrganizations", org.ID, map[string]any{"identitySources": []any{}}); err != nil {
				t.Fatal(err)
			}
			w.emulator.CreatedOutsideTerraform(1)
			return nil, map[string]string{"entragov_connected_organization.unknown_source": org.ID}
		},
		want: []string{`"Contoso partner"`, `identity_sources = null`},
		planFails: []string{
			"Graph returned connected organization", "without its identity source", "write identity_sources in the configuration yourself",
			"Must set a configuration value for the identity_sources attribute",
		},
	},
	{
		name: "access_review",
		setup: `
data "entragov_group" "project_falcon" {
  display_name = "Project Falcon"
}

resource "entragov_access_review" "falcon_guests" {
  display_name = "Fabrikam guests in Project Falcon"
  scope = {
    type  = "accessReviewQueryScope"
    query = "/groups/${data.entragov_group.project_falcon.id}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')"
  }
  reviewers = [{ query = "./sponsors", query_root = "decisions" }]
  settings = {
    instance_duration_in_days    = 14
    default_decision_enabled     = true
    default_decision             = "Deny"
    auto_apply_decisions_enabled = true
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3 }
      range   = { type = "noEnd", start_date = "2027-01-01" }
    }
  }
}

resource "entragov_access_review" "all_groups" {
  display_name               = "Guests in Microsoft 365 groups"
  scope                      = { type = "accessReviewInactiveUsersQueryScope", query = "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')", inactive_duration = "P30D" }
  instance_enumeration_scope = { type = "accessReviewQueryScope", query = "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))" }
  reviewers                  = [{ query = "./owners" }]
  settings = {
    instance_duration_in_days = 7
    apply_actions             = [{ type = "disableAndDeleteUserApplyAction" }]
    recurrence = {
      range = { type = "numbered", start_date = "2027-01-01", end_date = "2027-01-08" }
    }
  }
}
`,
		imports: importEach("entragov_access_review.falcon_guests", "entragov_access_review.all_groups"),
		want:    []string{`"./sponsors"`, `"Deny"`, `"disableAndDeleteUserApplyAction"`, `"P30D"`, `"2027-01-08"`},
	},
	{
		name: "entitlement_management_settings",
		setup: `
resource "entragov_entitlement_management_settings" "test" {
  external_user_lifecycle_action                     = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P45D"
}
`,
		imports: map[string]func(map[string]any) string{"entragov_entitlement_management_settings.test": byID},
		want:    []string{`"blockSignInAndDelete"`, `"P45D"`},
	},
	{
		// Users who only block sign-in leave the deletion delay at its default, which Graph still reports.
		name: "entitlement_management_settings_block_only",
		setup: `
resource "entragov_entitlement_management_settings" "test" {
  external_user_lifecycle_action = "blockSignIn"
}
`,
		imports: map[string]func(map[string]any) string{"entragov_entitlement_management_settings.test": byID},
		want:    []string{`"blockSignIn"`},
	},
	{
		name: "access_package_assignment",
		setup: `
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

data "entragov_user" "consultant" {
  mail = "carla@fabrikam.com"
}

data "entragov_user" "employee" {
  user_principal_name = "MeganB@contoso.onmicrosoft.com"
}

resource "entragov_catalog" "parent" {
  display_name = "Generated assignments"
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.parent.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_access_package" "parent" {
  catalog_id   = entragov_catalog.parent.id
  display_name = "Falcon consultants"
}

resource "entragov_access_package_resource_role_scope" "falcon" {
  access_package_id   = entragov_access_package.parent.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

resource "entragov_assignment_policy" "parent" {
  access_package_id = entragov_access_package.parent.id
  display_name      = "Direct assignment"
  expiration        = { type = "afterDuration", duration = "P90D" }
}

resource "entragov_access_package_assignment" "scheduled" {
  target_id            = data.entragov_user.consultant.id
  access_package_id    = entragov_access_package.parent.id
  assignment_policy_id = entragov_assignment_policy.parent.id
  justification        = "Falcon redesign, phase 1"
  schedule = {
    expiration = { type = "afterDuration", duration = "P30D" }
  }
  depends_on = [entragov_access_package_resource_role_scope.falcon]
}

resource "entragov_access_package_assignment" "plain" {
  target_id            = data.entragov_user.employee.id
  access_package_id    = entragov_access_package.parent.id
  assignment_policy_id = entragov_assignment_policy.parent.id
  depends_on           = [entragov_access_package_resource_role_scope.falcon]
}
`,
		imports: importEach("entragov_access_package_assignment.scheduled", "entragov_access_package_assignment.plain"),
		want:    []string{`target_id`, `assignment_policy_id`},
	},
	{
		name: "lifecycle_workflow",
		setup: `
data "entragov_group" "sales" {
  display_name = "Sales"
}

resource "entragov_lifecycle_workflow" "joiner" {
  category           = "joiner"
  display_name       = "Onboard new Sales employees"
  description        = "Runs 7 days before the hire date"
  scheduling_enabled = true

  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Sales') and (userType eq 'Member')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeHireDate", offset_in_days = -7 }
  }

  tasks = [
    {
      task_definition_id = "70b29d51-b59a-4773-9280-8841dfd3f2ea"
      display_name       = "Send welcome email"
      description        = "Greets the new hire"
      arguments          = { locale = "en-US" }
    },
    {
      task_definition_id = "22085229-5809-45e8-97fd-270d28d66910"
      display_name       = "Add to the Sales group"
      continue_on_error  = true
      arguments          = { groupID = data.entragov_group.sales.id }
    },
  ]
}

resource "entragov_lifecycle_workflow" "mover" {
  category     = "mover"
  display_name = "Department change"
  enabled      = false
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Member')" }
    trigger = { type = "attributeChangeTrigger", trigger_attributes = ["department", "jobTitle"] }
  }
  tasks = [{
    task_definition_id = "aab41899-9972-422a-9d97-f626014578b7"
    display_name       = "Notify the manager"
    enabled            = false
  }]
}

resource "entragov_lifecycle_workflow" "group_leavers" {
  category     = "leaver"
  display_name = "Sales group leavers"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "groupBasedSubjectSet", group_ids = [data.entragov_group.sales.id] }
    trigger = { type = "membershipChangeTrigger", change_type = "remove" }
  }
  tasks = [{
    task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee"
    display_name       = "Revoke sessions"
  }]
}

resource "entragov_lifecycle_workflow" "on_demand" {
  category     = "leaver"
  display_name = "Offboard on demand"
  execution_conditions = {
    type = "onDemandExecutionOnly"
  }
  tasks = [{
    task_definition_id = "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff"
    display_name       = "Delete the account"
    arguments          = { deleteOnPremisesAccount = "false" }
  }]
  permanently_delete_on_destroy = true
}
`,
		imports: importEach("entragov_lifecycle_workflow.joiner", "entragov_lifecycle_workflow.mover",
			"entragov_lifecycle_workflow.group_leavers", "entragov_lifecycle_workflow.on_demand"),
		want: []string{`"(department eq 'Sales') and (userType eq 'Member')"`, `"employeeHireDate"`, `"Add to the Sales group"`, `groupID`,
			`"attributeChangeTrigger"`, `"membershipChangeTrigger"`, `"onDemandExecutionOnly"`, `"Greets the new hire"`},
	},
	{
		name: "lifecycle_workflow_settings",
		setup: `
resource "entragov_lifecycle_workflow_settings" "test" {
  workflow_schedule_interval_in_hours = 6
  email_settings = {
    use_company_branding = true
  }
}
`,
		imports: map[string]func(map[string]any) string{"entragov_lifecycle_workflow_settings.test": byID},
		want:    []string{`workflow_schedule_interval_in_hours`, `use_company_branding`},
	}, {
		name: "external_collaboration_settings",
		setup: `
resource "entragov_external_collaboration_settings" "test" {
  allow_invites_from = "adminsAndGuestInviters"
  guest_user_role_id = "2af84b1e-32c8-42b7-82bc-daa82404023b"
  default_user_role_permissions = {
    permission_grant_policies_assigned = ["managePermissionGrantsForSelf.microsoft-user-default-low"]
  }
}
`,
		imports: map[string]func(map[string]any) string{"entragov_external_collaboration_settings.test": byID},
		want:    []string{`"adminsAndGuestInviters"`, `"2af84b1e-32c8-42b7-82bc-daa82404023b"`, `"managePermissionGrantsForSelf.microsoft-user-default-low"`},
	}, {
		name: "invitation_domain_policy",
		setup: `
resource "entragov_invitation_domain_policy" "test" {
  blocked_domains = ["gmail.com", "outlook.com"]
}
`,
		imports: map[string]func(map[string]any) string{"entragov_invitation_domain_policy.test": byID},
		want:    []string{`"gmail.com"`, `"outlook.com"`},
	},
}

// TestAccCLI_generateConfig checks, for every resource type, that an import block alone is enough:
// `terraform plan -generate-config-out` writes a configuration that validates, imports with no change,
// applies, and then plans empty. Objects come from a Terraform apply elsewhere (removed from that state)
// or straight from the API, in shapes other tools leave. The one documented exception is a connected
// organization that Graph returns without its identity source: the plan fails, saying what to write.
func TestAccCLI_generateConfig(t *testing.T) {
	for _, tc := range generateConfigCases {
		t.Run(tc.name, func(t *testing.T) {
			setup := newCLIWorkspace(t)
			config := tc.setup
			importIDs := map[string]string{}
			if tc.prepare != nil {
				args, made := tc.prepare(t, setup)
				config = fmt.Sprintf(config, args...)
				maps.Copy(importIDs, made)
			}
			setup.work = filepath.Join(setup.dir, "setup")
			setup.write(config)
			setup.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
			if len(tc.imports) > 0 {
				for address, id := range tc.imports {
					importIDs[address] = id(setup.resourceValues(address))
				}
				setup.run(0, append([]string{"state", "rm"}, slices.Sorted(maps.Keys(tc.imports))...)...)
			}
			addresses := slices.Sorted(maps.Keys(importIDs))
			var blocks strings.Builder
			for _, address := range addresses {
				fmt.Fprintf(&blocks, "\nimport {\n  to = %s\n  id = %q\n}\n", address, importIDs[address])
			}

			w := *setup
			w.work = filepath.Join(setup.dir, "import")
			w.write(blocks.String())
			planExit := 0
			if len(tc.planFails) > 0 {
				planExit = 1
			}
			out := w.run(planExit, "plan", "-generate-config-out=generated.tf", "-input=false", "-no-color")
			generated, err := os.ReadFile(filepath.Join(w.work, "generated.tf"))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("generated configuration:\n%s", generated)
			// Terraform aligns the equals signs and wraps messages: compare with single spaces.
			flatGenerated := strings.Join(strings.Fields(string(generated)), " ")
			for _, want := range tc.want {
				if !strings.Contains(flatGenerated, want) {
					t.Errorf("generated.tf lacks %s", want)
				}
			}
			if len(tc.planFails) > 0 {
				flatOut := strings.Join(strings.Fields(out), " ")
				for _, want := range tc.planFails {
					if !strings.Contains(flatOut, want) {
						t.Errorf("the failed plan does not say %q:\n%s", want, out)
					}
				}
				setup.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
				return
			}
			if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", len(addresses)); !strings.Contains(out, want) {
				t.Fatalf("the plan with the generated configuration is not a pure import (want %q):\n%s", want, out)
			}
			for _, address := range addresses {
				if !strings.Contains(string(generated), `resource "`+strings.Replace(address, ".", `" "`, 1)+`" {`) {
					t.Errorf("generated.tf does not declare %s", address)
				}
			}
			w.run(0, "validate", "-no-color")
			out = w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
			if want := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", len(addresses)); !strings.Contains(out, want) {
				t.Fatalf("the apply did more than import (want %q):\n%s", want, out)
			}
			w.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")

			// The imported resources are now Terraform's: they destroy, and so does what setup left.
			w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
			setup.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
		})
	}
}

// resourceValues reads one managed resource's attribute values from the workspace's state file.
func (w *cliWorkspace) resourceValues(address string) map[string]any {
	w.t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.work, "terraform.tfstate"))
	if err != nil {
		w.t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		w.t.Fatalf("reading the state: %v", err)
	}
	for _, r := range state.Resources {
		if r.Mode == "managed" && r.Type+"."+r.Name == address && len(r.Instances) == 1 {
			return r.Instances[0].Attributes
		}
	}
	w.t.Fatalf("%s is not in the state", address)
	return nil
}
