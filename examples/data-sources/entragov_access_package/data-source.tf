resource "entragov_catalog" "sales" {
  display_name = "Sales"
}

resource "entragov_access_package" "crm" {
  catalog_id   = entragov_catalog.sales.id
  display_name = "CRM users"
}

# By display name within a catalog: the same name in another catalog does not make it ambiguous.
data "entragov_access_package" "crm" {
  catalog_id   = entragov_catalog.sales.id
  display_name = "CRM users"
  depends_on   = [entragov_access_package.crm]
}

# By object id.
data "entragov_access_package" "by_id" {
  id = entragov_access_package.crm.id
}
