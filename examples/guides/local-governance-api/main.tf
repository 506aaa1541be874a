terraform {
  required_version = ">= 1.11"

  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# Endpoints and credentials come from the ENTRAGOV_* variables.
provider "entragov" {}

# Seeded directory objects have fixed ids, so they can be referenced directly.
data "entragov_group" "falcon" {
  id = "5eed0002-0000-4000-8000-000000000005" # Project Falcon
}

data "entragov_user" "adele" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com" # Adele Vance, Sales
}

resource "entragov_catalog" "sandbox" {
  display_name = "Sandbox"
  description  = "Trying entragov against the local governance API"
  state        = "published"
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.sandbox.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_access_package" "falcon" {
  catalog_id   = entragov_catalog.sandbox.id
  display_name = "Project Falcon team"
  description  = "Membership of the Project Falcon group"
}

resource "entragov_access_package_resource_role_scope" "falcon_member" {
  access_package_id   = entragov_access_package.falcon.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.falcon.id
  display_name      = "Direct assignment"
  description       = "Administrators assign; access lasts 90 days"
  expiration        = { type = "afterDuration", duration = "P90D" }
}

resource "entragov_access_package_assignment" "adele" {
  target_id            = data.entragov_user.adele.id
  access_package_id    = entragov_access_package.falcon.id
  assignment_policy_id = entragov_assignment_policy.direct.id
  depends_on           = [entragov_access_package_resource_role_scope.falcon_member]
}

output "catalog_id" {
  value = entragov_catalog.sandbox.id
}

output "access_package_id" {
  value = entragov_access_package.falcon.id
}
