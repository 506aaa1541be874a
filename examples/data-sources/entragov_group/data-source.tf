# By exact display name: several groups with the name are an error that lists their ids.
data "entragov_group" "sales" {
  display_name = "Sales"
}

# By object id, for example a group managed in another configuration.
data "entragov_group" "finance" {
  id = "5eed0002-0000-4000-8000-000000000004"
}

# Separation of duties: Finance members cannot request the CRM package.
resource "entragov_catalog" "sales" {
  display_name = "Sales"
  description  = "Tools of the sales organisation"
}

resource "entragov_access_package" "crm" {
  catalog_id             = entragov_catalog.sales.id
  display_name           = "CRM users"
  incompatible_group_ids = [data.entragov_group.finance.id]
}

output "sales_member_count" {
  value = length(data.entragov_group.sales.member_ids)
}
