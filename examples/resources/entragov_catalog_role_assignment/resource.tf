# The partner catalog is delegated: the Project Falcon team, who work with Fabrikam, own it (they add
# resources, access packages and policies), and the finance manager can read it for audits.
data "entragov_catalog_role_definitions" "all" {}

data "entragov_group" "partner_managers" {
  display_name = "Project Falcon"
}

data "entragov_user" "auditor" {
  user_principal_name = "LynneR@contoso.onmicrosoft.com"
}

resource "entragov_catalog" "partners" {
  display_name       = "Fabrikam collaboration"
  description        = "Resources shared with Fabrikam for Project Falcon"
  externally_visible = true
}

resource "entragov_catalog_role_assignment" "partner_managers_own" {
  catalog_id         = entragov_catalog.partners.id
  principal_id       = data.entragov_group.partner_managers.id
  role_definition_id = data.entragov_catalog_role_definitions.all.by_name["Catalog owner"].id
}

resource "entragov_catalog_role_assignment" "auditor_reads" {
  catalog_id         = entragov_catalog.partners.id
  principal_id       = data.entragov_user.auditor.id
  role_definition_id = data.entragov_catalog_role_definitions.all.by_name["Catalog reader"].id
}

# The catalog creator role is tenant-wide: members of Sales may create catalogs of their own.
data "entragov_group" "sales" {
  display_name = "Sales"
}

resource "entragov_catalog_role_assignment" "sales_create_catalogs" {
  directory_scope_id = "/"
  principal_id       = data.entragov_group.sales.id
  role_definition_id = data.entragov_catalog_role_definitions.all.by_name["Catalog creator"].id
}
