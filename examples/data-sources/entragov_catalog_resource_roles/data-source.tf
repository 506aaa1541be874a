resource "entragov_catalog" "partners" {
  display_name = "Partner applications"
}

resource "entragov_catalog_resource" "portal" {
  catalog_id    = entragov_catalog.partners.id
  origin_system = "AadApplication"
  origin_id     = "5eed0005-0000-4000-8000-000000000002" # Fabrikam Partner Portal's service principal
}

data "entragov_catalog_resource_roles" "portal" {
  catalog_id          = entragov_catalog.partners.id
  catalog_resource_id = entragov_catalog_resource.portal.id
}

output "portal_role_ids" {
  description = "Role name => role origin id, to use as role_origin_id."
  value       = { for role in data.entragov_catalog_resource_roles.portal.roles : role.display_name => role.origin_id }
}
