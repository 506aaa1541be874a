data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

data "entragov_user" "consultant" {
  mail = "carla@fabrikam.com"
}

resource "entragov_catalog" "partners" {
  display_name = "Partner onboarding"
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.partners.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_access_package" "falcon" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Falcon consultants"
}

resource "entragov_access_package_resource_role_scope" "falcon" {
  access_package_id   = entragov_access_package.falcon.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

# Administrators assign directly under this policy; assignments last 90 days.
resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.falcon.id
  display_name      = "Direct assignment"
  expiration        = { type = "afterDuration", duration = "P90D" }
}

# The consultant gets the package now, for 30 days; create waits until the assignment is delivered.
resource "entragov_access_package_assignment" "carla" {
  target_id            = data.entragov_user.consultant.id
  access_package_id    = entragov_access_package.falcon.id
  assignment_policy_id = entragov_assignment_policy.direct.id
  justification        = "Falcon redesign, phase 1"
  schedule = {
    expiration = { type = "afterDuration", duration = "P30D" }
  }
  depends_on = [entragov_access_package_resource_role_scope.falcon]
}

# Someone from Fabrikam who is not in the directory yet, named by email. Graph invites them; the
# assignment is "delivering" until they redeem the invitation, then "delivered". target_id shows the
# guest Graph invited. The policy must admit external users.
resource "entragov_assignment_policy" "fabrikam_direct" {
  access_package_id    = entragov_access_package.falcon.id
  display_name         = "Direct assignment, external users"
  allowed_target_scope = "allExternalUsers"
  expiration           = { type = "afterDuration", duration = "P90D" }
}

resource "entragov_access_package_assignment" "nina" {
  target_email         = "nina@fabrikam.com"
  access_package_id    = entragov_access_package.falcon.id
  assignment_policy_id = entragov_assignment_policy.fabrikam_direct.id
  justification        = "Falcon design review"
  depends_on           = [entragov_access_package_resource_role_scope.falcon]
}
