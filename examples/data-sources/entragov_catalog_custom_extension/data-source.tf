resource "entragov_catalog" "partners" {
  display_name = "Partner access"
}

resource "entragov_catalog_custom_extension" "contract_check" {
  catalog_id   = entragov_catalog.partners.id
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = "Check the partner's contract"

  endpoint_configuration = {
    subscription_id         = "38ab2ccc-3747-4567-b36b-9478f5602f0d"
    resource_group_name     = "rg-governance"
    logic_app_workflow_name = "check-partner-contract"
  }

  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
}

# By display name within its catalog, e.g. for an extension made in the portal.
data "entragov_catalog_custom_extension" "contract_check" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Check the partner's contract"
  depends_on   = [entragov_catalog_custom_extension.contract_check]
}

# By object id.
data "entragov_catalog_custom_extension" "by_id" {
  catalog_id = entragov_catalog.partners.id
  id         = entragov_catalog_custom_extension.contract_check.id
}
