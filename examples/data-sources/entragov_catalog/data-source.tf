# Look a catalog up by its display name, for example the built-in General catalog.
data "entragov_catalog" "general" {
  display_name = "General"
}

# Or by its Graph object id.
data "entragov_catalog" "by_id" {
  id = data.entragov_catalog.general.id
}

output "general_catalog_type" {
  value = data.entragov_catalog.general.catalog_type
}
