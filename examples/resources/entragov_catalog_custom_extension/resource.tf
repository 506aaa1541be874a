resource "entragov_catalog" "partners" {
  display_name = "Partner access"
  description  = "Access packages for consultants of partner companies"
}

# When a partner's request is approved, a Logic App asks the contracts system whether the partner's
# contract is current; the request waits for its answer (callback) for at most a day.
resource "entragov_catalog_custom_extension" "contract_check" {
  catalog_id   = entragov_catalog.partners.id
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = "Check the partner's contract"
  description  = "Asks the contracts system whether the requestor's company has a current contract"

  endpoint_configuration = {
    subscription_id         = "38ab2ccc-3747-4567-b36b-9478f5602f0d"
    resource_group_name     = "rg-governance"
    logic_app_workflow_name = "check-partner-contract"
  }

  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }

  client_configuration = {
    maximum_retries         = 1
    timeout_in_milliseconds = 1000
  }

  callback_configuration = {
    timeout_duration = "P1D"
  }
}

resource "entragov_access_package" "design_project" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Design project"
}

# The policy calls the extension once a request is approved. Referring to the extension's id also makes
# Terraform delete the policy before the extension, which Graph requires.
resource "entragov_assignment_policy" "partners" {
  access_package_id    = entragov_access_package.design_project.id
  display_name         = "Partners with a current contract"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  expiration           = { type = "afterDuration", duration = "P180D" }

  custom_extension_stage_settings = [
    { stage = "assignmentRequestApproved", custom_extension_id = entragov_catalog_custom_extension.contract_check.id },
  ]
}
