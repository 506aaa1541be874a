# A Logic App that gives a leaver's manager access to the leaver's mailbox and OneDrive; the task waits
# up to an hour for the Logic App to resume it.
resource "entragov_custom_task_extension" "manager_access" {
  display_name = "Grant manager access to mailbox and OneDrive"
  description  = "Runs on the last day of an employee"

  endpoint_configuration = {
    subscription_id         = "c500b67c-e9b7-4ad2-a90d-77d41385ae55"
    resource_group_name     = "rg-lifecycle"
    logic_app_workflow_name = "manager-access"
  }

  authentication_configuration = {
    type        = "azureAdTokenAuthentication"
    resource_id = "542dc01a-0b5d-4edc-b3f9-5cfe6393f557" # the Logic App's app registration
  }

  client_configuration = {
    maximum_retries         = 1
    timeout_in_milliseconds = 1000
  }

  callback_configuration = {
    timeout_duration = "PT1H"
  }
}

# The leaver workflow runs the extension with the task "Run a Custom Task Extension".
resource "entragov_lifecycle_workflow" "leavers" {
  category     = "leaver"
  display_name = "Hand over a leaver's mailbox"

  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Member')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }

  tasks = [
    {
      task_definition_id = "4262b724-8dba-4fad-afc3-43fcbb497a0e" # Run a Custom Task Extension
      display_name       = "Grant the manager access"
      arguments          = { customTaskExtensionID = entragov_custom_task_extension.manager_access.id }
    },
  ]
}
