# The configuration applied by `make demo` (scripts/demo.sh) against the local
# governance API. Everything the provider needs comes from ENTRAGOV_* variables.
terraform {
  required_version = ">= 1.11"

  required_providers {
    entragov = {
      source = "registry.terraform.io/entragov/entragov"
    }
  }
}

provider "entragov" {}

# Partner onboarding: a published catalog that users of connected (partner)
# organizations can see and request access packages from.
resource "entragov_catalog" "partner_onboarding" {
  display_name       = "Partner onboarding"
  description        = "Access for consultants and contractors from partner organizations"
  state              = "published"
  externally_visible = true
}

# The internal side of the story, still being prepared: not open for requests.
resource "entragov_catalog" "partner_sponsors" {
  display_name       = "Partner sponsors (draft)"
  description        = "Access for employees who sponsor partner organizations"
  state              = "unpublished"
  externally_visible = false
}

# The built-in catalog every tenant has.
data "entragov_catalog" "general" {
  display_name = "General"
}

# Project Falcon: a group, an application and a SharePoint site in one catalog, two access packages
# that grant their roles, and a mutual incompatibility (who submits expenses must not approve them).
data "entragov_group" "falcon_team" {
  display_name = "Project Falcon"
}

resource "entragov_catalog" "falcon" {
  display_name = "Project Falcon"
  description  = "Everything the Falcon project team uses"
}

resource "entragov_catalog_resource" "falcon_team" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon_team.id
}

resource "entragov_catalog_resource" "expenses" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadApplication"
  origin_id     = "5eed0005-0000-4000-8000-000000000001" # Contoso Expenses' service principal
}

resource "entragov_catalog_resource" "falcon_site" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/falcon"
}

resource "entragov_access_package" "falcon_member" {
  catalog_id   = entragov_catalog.falcon.id
  display_name = "Falcon member"
  description  = "Team membership, the project site and expense submission"
}

resource "entragov_access_package" "falcon_approver" {
  catalog_id   = entragov_catalog.falcon.id
  display_name = "Falcon expense approver"
  description  = "Approves the project's expenses"
}

resource "entragov_access_package_resource_role_scope" "member_team" {
  access_package_id   = entragov_access_package.falcon_member.id
  catalog_resource_id = entragov_catalog_resource.falcon_team.id
  role_origin_id      = "Member_${data.entragov_group.falcon_team.id}"
}

resource "entragov_access_package_resource_role_scope" "member_site" {
  access_package_id   = entragov_access_package.falcon_member.id
  catalog_resource_id = entragov_catalog_resource.falcon_site.id
  role_origin_id      = "5" # the site's Members group
}

resource "entragov_access_package_resource_role_scope" "member_submit" {
  access_package_id   = entragov_access_package.falcon_member.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = one([for role in entragov_catalog_resource.expenses.roles : role.origin_id if role.display_name == "Submitter"])
}

resource "entragov_access_package_resource_role_scope" "approver_approve" {
  access_package_id   = entragov_access_package.falcon_approver.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = one([for role in entragov_catalog_resource.expenses.roles : role.origin_id if role.display_name == "Approver"])
}

resource "entragov_access_package_incompatibility" "member_approver" {
  access_package_id              = entragov_access_package.falcon_member.id
  incompatible_access_package_id = entragov_access_package.falcon_approver.id
}

resource "entragov_access_package_incompatibility" "approver_member" {
  access_package_id              = entragov_access_package.falcon_approver.id
  incompatible_access_package_id = entragov_access_package.falcon_member.id
}

# Who may get "Falcon member", and how: one policy per partner team, created in parallel with for_each
# (Graph refuses parallel policy creates for one package; the provider serialises and retries them).
locals {
  falcon_partner_teams = {
    "Fabrikam design"      = "P90D"
    "Fabrikam engineering" = "P180D"
    "Contoso contractors"  = "P30D"
  }
}

resource "entragov_assignment_policy" "falcon_partners" {
  for_each             = local.falcon_partner_teams
  access_package_id    = entragov_access_package.falcon_member.id
  display_name         = each.key
  description          = "Partners request; the project team's manager approves; access lasts ${each.value}"
  allowed_target_scope = "allExternalUsers"
  expiration           = { type = "afterDuration", duration = each.value }
  requestor_settings   = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "groupMembers", group_id = data.entragov_group.falcon_team.id }]
    }]
  }
}

# Approvers are assigned directly by administrators, and reviewed every quarter.
resource "entragov_assignment_policy" "falcon_approvers" {
  access_package_id = entragov_access_package.falcon_approver.id
  display_name      = "Direct assignment"
  description       = "Administrators assign approvers; reviewed quarterly"
  expiration        = { type = "afterDuration", duration = "P365D" }
  review_settings = {
    expiration_behavior = "removeAccess"
    primary_reviewers   = [{ type = "requestorManager", manager_level = 1 }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }
}

# Partner onboarding: Fabrikam is a connected organization with sponsors; its consultants request the
# "Fabrikam consultants" package (Project Falcon team membership), an internal sponsor approves, access
# lasts 180 days; guests are blocked and deleted 30 days after their last assignment ends; and one
# Fabrikam guest is assigned directly by an administrator.
data "entragov_user" "fabrikam_lead" {
  mail = "ben@fabrikam.com"
}

# Carla, a Fabrikam guest whose contract ends: make demo gives her a leave date for the leaver workflow.
data "entragov_user" "fabrikam_contractor" {
  mail = "carla@fabrikam.com"
}

data "entragov_user" "partner_manager" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design partner for Project Falcon"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
  internal_sponsor_ids = [data.entragov_user.partner_manager.id]
  external_sponsor_ids = [data.entragov_user.fabrikam_lead.id]
}

resource "entragov_entitlement_management_settings" "tenant" {
  external_user_lifecycle_action                     = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P30D"
}

resource "entragov_catalog_resource" "partner_falcon_team" {
  catalog_id    = entragov_catalog.partner_onboarding.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon_team.id
}

resource "entragov_access_package" "fabrikam_consultants" {
  catalog_id   = entragov_catalog.partner_onboarding.id
  display_name = "Fabrikam consultants"
  description  = "Project Falcon team membership for Fabrikam consultants"
}

resource "entragov_access_package_resource_role_scope" "fabrikam_falcon" {
  access_package_id   = entragov_access_package.fabrikam_consultants.id
  catalog_resource_id = entragov_catalog_resource.partner_falcon_team.id
  role_origin_id      = "Member_${data.entragov_group.falcon_team.id}"
}

# When a Fabrikam request is approved, a Logic App checks that Fabrikam's contract is current; the request
# waits for its answer for at most a day.
resource "entragov_catalog_custom_extension" "contract_check" {
  catalog_id   = entragov_catalog.partner_onboarding.id
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = "Check the partner's contract"
  endpoint_configuration = {
    subscription_id         = "38ab2ccc-3747-4567-b36b-9478f5602f0d"
    resource_group_name     = "rg-governance"
    logic_app_workflow_name = "check-partner-contract"
  }
  authentication_configuration = { type = "azureAdPopTokenAuthentication" }
  callback_configuration       = { timeout_duration = "P1D" }
}

resource "entragov_assignment_policy" "fabrikam_consultants" {
  access_package_id    = entragov_access_package.fabrikam_consultants.id
  display_name         = "Fabrikam consultants"
  description          = "Fabrikam users request; sponsor approves; access ends after 180 days"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = entragov_connected_organization.fabrikam.id },
  ]
  expiration         = { type = "afterDuration", duration = "P180D" }
  requestor_settings = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "internalSponsors" }]
    }]
  }
  custom_extension_stage_settings = [
    { stage = "assignmentRequestApproved", custom_extension_id = entragov_catalog_custom_extension.contract_check.id },
  ]
}

resource "entragov_access_package_assignment" "fabrikam_lead" {
  target_id            = data.entragov_user.fabrikam_lead.id
  access_package_id    = entragov_access_package.fabrikam_consultants.id
  assignment_policy_id = entragov_assignment_policy.fabrikam_consultants.id
  justification        = "Leads the Fabrikam side of Project Falcon"
  depends_on           = [entragov_access_package_resource_role_scope.fabrikam_falcon]
}

# The rest of the partner plan. Posture: only administrators and guest inviters invite guests, and guests
# see only their own directory objects.
resource "entragov_external_collaboration_settings" "tenant" {
  allow_invites_from = "adminsAndGuestInviters"
  guest_user_role_id = "2af84b1e-32c8-42b7-82bc-daa82404023b" # Restricted Guest User
}

# Fabrikam's own tenant (a partner tenant the local API knows) is trusted for MFA, and its users may come
# in through B2B collaboration.
resource "entragov_cross_tenant_access_partner" "fabrikam" {
  tenant_id     = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
  inbound_trust = { mfa_accepted = true }
  b2b_collaboration_inbound = {
    users_and_groups = {
      access_type = "allowed"
      targets     = [{ target = "AllUsers", target_type = "user" }]
    }
  }
}

# Onboarding: a Fabrikam consultant is invited as a guest, with the partner manager as her sponsor.
resource "entragov_invitation" "fabrikam_consultant" {
  invited_user_email_address = "ines.moreau@fabrikam.com"
  invited_user_display_name  = "Ines Moreau (Fabrikam)"
  invite_redirect_url        = "https://myapps.microsoft.com"
}

resource "entragov_user_sponsors" "fabrikam_consultant" {
  user_id     = entragov_invitation.fabrikam_consultant.invited_user_id
  sponsor_ids = [data.entragov_user.partner_manager.id]
}

# Another Fabrikam designer is not in the directory yet: the administrator assigns the package to his email.
# Graph invites him; the assignment is "delivering" until he redeems the invitation.
resource "entragov_access_package_assignment" "fabrikam_designer" {
  target_email         = "omar.haddad@fabrikam.com"
  access_package_id    = entragov_access_package.fabrikam_consultants.id
  assignment_policy_id = entragov_assignment_policy.fabrikam_consultants.id
  justification        = "Falcon design reviews"
  depends_on           = [entragov_access_package_resource_role_scope.fabrikam_falcon]
}

# Delegation: the partner manager owns the partner catalog (resources, packages and policies in it).
data "entragov_catalog_role_definitions" "all" {}

resource "entragov_catalog_role_assignment" "partner_manager_owns" {
  catalog_id         = entragov_catalog.partner_onboarding.id
  principal_id       = data.entragov_user.partner_manager.id
  role_definition_id = data.entragov_catalog_role_definitions.all.by_name["Catalog owner"].id
}

# Discovery: who from outside is already inside, by domain, and which connected organization covers it.
data "entragov_external_users" "inside" {
  depends_on = [entragov_invitation.fabrikam_consultant, entragov_access_package_assignment.fabrikam_designer]
}

# Offboarding the partner's guests: on their last day their access packages end, their sessions are
# revoked and their account is deleted. It runs on the tenant's schedule (every 3 hours by default).
resource "entragov_lifecycle_workflow" "fabrikam_leavers" {
  category           = "leaver"
  display_name       = "Offboard Fabrikam guests"
  description        = "Runs on the guest's leave date"
  scheduling_enabled = true

  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Guest') and (companyName eq 'Fabrikam')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }

  tasks = [
    {
      task_definition_id = "42ae2956-193d-4f39-be06-691b8ac4fa1d" # Remove all access package assignments for user
      display_name       = "Remove access package assignments"
    },
    {
      task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee" # Revoke all refresh tokens for user
      display_name       = "Revoke sessions"
    },
    {
      task_definition_id = "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff" # Delete user account
      display_name       = "Delete the guest account"
    },
  ]

  permanently_delete_on_destroy = true
}

output "partner_catalog_id" {
  description = "Graph id of the Partner onboarding catalog."
  value       = entragov_catalog.partner_onboarding.id
}

output "general_catalog_id" {
  description = "Graph id of the built-in General catalog."
  value       = data.entragov_catalog.general.id
}

output "fabrikam_lead_id" {
  description = "Object id of Ben, the Fabrikam guest assigned directly (make demo follows him six months on)."
  value       = data.entragov_user.fabrikam_lead.id
}

output "fabrikam_contractor_id" {
  description = "Object id of Carla, the Fabrikam guest whose leave date make demo sets for the leaver workflow."
  value       = data.entragov_user.fabrikam_contractor.id
}

output "fabrikam_leavers_workflow_id" {
  description = "Graph id of the Fabrikam guest leaver workflow."
  value       = entragov_lifecycle_workflow.fabrikam_leavers.id
}

output "fabrikam_lead_assignment_id" {
  description = "Graph id of Ben's assignment to the Fabrikam consultants package."
  value       = entragov_access_package_assignment.fabrikam_lead.id
}

output "external_users_by_domain" {
  description = "The tenant's external users by domain, with the connected organization that covers each domain."
  value       = data.entragov_external_users.inside.by_domain
}
