resource "entragov_catalog" "falcon" {
  display_name = "Project Falcon"
  description  = "Resources of the Falcon project"
}

data "entragov_group" "falcon_team" {
  display_name = "Project Falcon"
}

resource "entragov_catalog_resource" "team" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon_team.id
}

resource "entragov_catalog_resource" "expenses" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadApplication"
  origin_id     = "5eed0005-0000-4000-8000-000000000001" # Contoso Expenses' service principal
}

resource "entragov_catalog_resource" "site" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/falcon"
}

resource "entragov_access_package" "member" {
  catalog_id   = entragov_catalog.falcon.id
  display_name = "Falcon member"
  description  = "Team membership, the project site and expense submission"
}

# Membership of the group (root scope: the whole group).
resource "entragov_access_package_resource_role_scope" "team" {
  access_package_id   = entragov_access_package.member.id
  catalog_resource_id = entragov_catalog_resource.team.id
  role_origin_id      = "Member_${data.entragov_group.falcon_team.id}"
}

# An app role, found by its name among the catalog resource's roles.
resource "entragov_access_package_resource_role_scope" "submit_expenses" {
  access_package_id   = entragov_access_package.member.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = one([for role in entragov_catalog_resource.expenses.roles : role.origin_id if role.display_name == "Submitter"])
}

# The site's Members group.
resource "entragov_access_package_resource_role_scope" "site_member" {
  access_package_id   = entragov_access_package.member.id
  catalog_resource_id = entragov_catalog_resource.site.id
  role_origin_id      = "5"
}
