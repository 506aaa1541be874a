terraform {
  required_version = ">= 1.11"

  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# Credentials come from the environment (see the authentication guide).
provider "entragov" {}

data "entragov_user" "partner_manager" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

# 1. Posture. Only administrators and guest inviters invite guests; guests get the Restricted Guest User role.
resource "entragov_external_collaboration_settings" "tenant" {
  allow_invites_from = "adminsAndGuestInviters"
  guest_user_role_id = "2af84b1e-32c8-42b7-82bc-daa82404023b" # Restricted Guest User
}

# Fabrikam's tenant is trusted for MFA, and its users may come in through B2B collaboration.
resource "entragov_cross_tenant_access_partner" "fabrikam" {
  tenant_id     = var.fabrikam_tenant_id
  inbound_trust = { mfa_accepted = true }
  b2b_collaboration_inbound = {
    users_and_groups = {
      access_type = "allowed"
      targets     = [{ target = "AllUsers", target_type = "user" }]
    }
  }
}

# 2. The partner, for entitlement management: Fabrikam's users may request the packages made for them.
resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design partner for Project Falcon"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
  internal_sponsor_ids = [data.entragov_user.partner_manager.id]
}

# 3. What they get: Project Falcon team membership, for 180 days, approved by their sponsor, once a custom
# extension has checked the partner's contract.
resource "entragov_catalog" "fabrikam" {
  display_name       = "Fabrikam collaboration"
  description        = "Resources shared with Fabrikam"
  externally_visible = true
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.fabrikam.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_access_package" "consultants" {
  catalog_id   = entragov_catalog.fabrikam.id
  display_name = "Fabrikam consultants"
}

resource "entragov_access_package_resource_role_scope" "falcon" {
  access_package_id   = entragov_access_package.consultants.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

# When a request is approved, a Logic App checks that Fabrikam's contract is current; the request waits for its
# answer for at most a day.
resource "entragov_catalog_custom_extension" "contract_check" {
  catalog_id   = entragov_catalog.fabrikam.id
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

resource "entragov_assignment_policy" "fabrikam" {
  access_package_id    = entragov_access_package.consultants.id
  display_name         = "Fabrikam consultants"
  description          = "Fabrikam users request; their sponsor approves; access ends after 180 days"
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

# 4. Onboarding. A consultant is invited as a guest, with the partner manager as her sponsor...
resource "entragov_invitation" "ines" {
  invited_user_email_address = "ines.moreau@fabrikam.com"
  invited_user_display_name  = "Ines Moreau (Fabrikam)"
  invite_redirect_url        = "https://myapps.microsoft.com"
}

resource "entragov_user_sponsors" "ines" {
  user_id     = entragov_invitation.ines.invited_user_id
  sponsor_ids = [data.entragov_user.partner_manager.id]
}

# ...and a designer who is not in the directory yet gets the package by email: Graph invites him, and the
# assignment is delivered once he redeems the invitation.
resource "entragov_access_package_assignment" "omar" {
  target_email         = "omar.haddad@fabrikam.com"
  access_package_id    = entragov_access_package.consultants.id
  assignment_policy_id = entragov_assignment_policy.fabrikam.id
  justification        = "Falcon design reviews"
  depends_on           = [entragov_access_package_resource_role_scope.falcon]
}

# 5. Delegation: the partner manager owns the catalog (resources, packages and policies in it).
data "entragov_catalog_role_definitions" "all" {}

resource "entragov_catalog_role_assignment" "partner_manager_owns" {
  catalog_id         = entragov_catalog.fabrikam.id
  principal_id       = data.entragov_user.partner_manager.id
  role_definition_id = data.entragov_catalog_role_definitions.all.by_name["Catalog owner"].id
}

# 6. Discovery, once more: who from outside is inside now.
data "entragov_external_users" "fabrikam" {
  domain     = "fabrikam.com"
  depends_on = [entragov_invitation.ines, entragov_access_package_assignment.omar]
}

variable "fabrikam_tenant_id" {
  description = "Fabrikam's Microsoft Entra tenant id (the local API knows it as a partner tenant)."
  type        = string
  default     = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
}

# The guest Graph invited for Omar's assignment.
data "entragov_user" "omar" {
  id = entragov_access_package_assignment.omar.target_id
}

output "omar" {
  value = {
    user  = data.entragov_user.omar.user_principal_name
    state = entragov_access_package_assignment.omar.state
  }
}

output "fabrikam_guests" {
  value = { for u in data.entragov_external_users.fabrikam.users : u.mail => u.external_user_state }
}
