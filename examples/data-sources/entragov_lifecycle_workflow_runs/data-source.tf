resource "entragov_lifecycle_workflow" "partner_leavers" {
  category     = "leaver"
  display_name = "Fabrikam guests leave"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Guest') and (companyName eq 'Fabrikam')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [{
    task_definition_id = "42ae2956-193d-4f39-be06-691b8ac4fa1d" # Remove all access package assignments for user
    display_name       = "Remove access packages"
    }, {
    task_definition_id = "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950" # Disable user account
    display_name       = "Disable the account"
  }]
}

# The workflow's scheduled runs, newest first, with the users each one processed.
data "entragov_lifecycle_workflow_runs" "partner_leavers" {
  workflow_id                     = entragov_lifecycle_workflow.partner_leavers.id
  workflow_execution_type         = "scheduled"
  include_user_processing_results = true
}

output "users_offboarded_by_last_run" {
  value = try(data.entragov_lifecycle_workflow_runs.partner_leavers.runs[0].user_processing_results[*].subject_id, [])
}
