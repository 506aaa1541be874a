# Every entitlement management role, keyed by name in by_name.
data "entragov_catalog_role_definitions" "all" {}

# One role by its exact name; a name that no role has is an error listing the names there are.
data "entragov_catalog_role_definitions" "assignment_manager" {
  display_name = "AccessPackage assignment manager"
}

output "catalog_owner_role_id" {
  value = data.entragov_catalog_role_definitions.all.by_name["Catalog owner"].id
}

output "assignment_manager_role_id" {
  value = data.entragov_catalog_role_definitions.assignment_manager.role_definitions[0].id
}
