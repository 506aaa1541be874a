resource "entragov_catalog" "sales" {
  display_name = "Sales"
  description  = "Tools of the sales organisation"
}

data "entragov_group" "finance" {
  display_name = "Finance"
}

resource "entragov_access_package" "crm" {
  catalog_id   = entragov_catalog.sales.id
  display_name = "CRM users"
  description  = "Read and update opportunities in the CRM"

  # Separation of duties: members of Finance cannot request this package.
  incompatible_group_ids = [data.entragov_group.finance.id]
}

# Hidden from the My Access portal: requestors need the package's direct link.
resource "entragov_access_package" "crm_admins" {
  catalog_id   = entragov_catalog.sales.id
  display_name = "CRM administrators"
  description  = "Configure the CRM"
  hidden       = true

  # Holders of "CRM users" cannot also request administration.
  incompatible_access_package_ids = [entragov_access_package.crm.id]
}
