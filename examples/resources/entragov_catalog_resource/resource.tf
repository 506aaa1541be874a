resource "entragov_catalog" "falcon" {
  display_name = "Project Falcon"
  description  = "Resources of the Falcon project"
}

# A group: access packages can grant its membership (Member_<id>) or ownership (Owner_<id>).
data "entragov_group" "falcon_team" {
  display_name = "Project Falcon"
}

resource "entragov_catalog_resource" "team" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon_team.id
}

# An application, by the object id of its service principal (Enterprise applications > Object ID),
# not by its application object id or appId. Its app roles become the resource's roles.
resource "entragov_catalog_resource" "expenses" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadApplication"
  origin_id     = "5eed0005-0000-4000-8000-000000000001" # Contoso Expenses
}

# A SharePoint Online site, by its URL: its Owners (3), Visitors (4) and Members (5) groups become roles.
resource "entragov_catalog_resource" "site" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/falcon"
}

output "expenses_roles" {
  description = "App role name => role origin id, for role scopes."
  value       = { for role in entragov_catalog_resource.expenses.roles : role.display_name => role.origin_id }
}
