terraform {
  required_version = ">= 1.11"

  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# The local governance API: see the local governance API guide for the variables.
provider "entragov" {}

locals {
  ben           = "5eed0001-0000-4000-8000-000000000101" # ben@fabrikam.com, a guest of the seeded tenant
  project_group = "5eed0002-0000-4000-8000-000000000005" # Project Falcon
}

# Fabrikam's users get Project Falcon membership for 180 days; a guest who loses the last assignment is
# blocked, and deleted 30 days later.
resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design partner for Project Falcon"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
}

resource "entragov_entitlement_management_settings" "tenant" {
  external_user_lifecycle_action                     = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P30D"
}

resource "entragov_catalog" "partners" {
  display_name = "Partner access"
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.partners.id
  origin_system = "AadGroup"
  origin_id     = local.project_group
}

resource "entragov_access_package" "consultants" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Fabrikam consultants"
}

resource "entragov_access_package_resource_role_scope" "falcon" {
  access_package_id   = entragov_access_package.consultants.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_${local.project_group}"
}

resource "entragov_assignment_policy" "fabrikam" {
  access_package_id    = entragov_access_package.consultants.id
  display_name         = "Fabrikam consultants"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = entragov_connected_organization.fabrikam.id },
  ]
  expiration = { type = "afterDuration", duration = "P180D" }
}

resource "entragov_access_package_assignment" "ben" {
  target_id            = local.ben
  access_package_id    = entragov_access_package.consultants.id
  assignment_policy_id = entragov_assignment_policy.fabrikam.id
  justification        = "Falcon design work"
  depends_on           = [entragov_access_package_resource_role_scope.falcon, entragov_entitlement_management_settings.tenant]
}
