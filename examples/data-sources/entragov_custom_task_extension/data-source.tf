resource "entragov_custom_task_extension" "manager_access" {
  display_name = "Grant manager access to mailbox and OneDrive"

  endpoint_configuration = {
    subscription_id         = "c500b67c-e9b7-4ad2-a90d-77d41385ae55"
    resource_group_name     = "rg-lifecycle"
    logic_app_workflow_name = "manager-access"
  }

  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
}

# By display name, e.g. for an extension made in the portal.
data "entragov_custom_task_extension" "manager_access" {
  display_name = "Grant manager access to mailbox and OneDrive"
  depends_on   = [entragov_custom_task_extension.manager_access]
}

# By object id.
data "entragov_custom_task_extension" "by_id" {
  id = entragov_custom_task_extension.manager_access.id
}
