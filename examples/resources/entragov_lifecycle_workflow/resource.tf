data "entragov_group" "sales" {
  display_name = "Sales"
}

# Joiner: a week before a Sales employee's hire date, send the welcome email and add them to the Sales group.
resource "entragov_lifecycle_workflow" "sales_joiners" {
  category           = "joiner"
  display_name       = "Onboard new Sales employees"
  description        = "Runs 7 days before the hire date"
  scheduling_enabled = true

  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Sales') and (userType eq 'Member')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeHireDate", offset_in_days = -7 }
  }

  tasks = [
    {
      task_definition_id = "70b29d51-b59a-4773-9280-8841dfd3f2ea" # Send welcome email
      display_name       = "Send welcome email"
      arguments          = { locale = "en-US" }
    },
    {
      task_definition_id = "22085229-5809-45e8-97fd-270d28d66910" # Add user to groups
      display_name       = "Add to the Sales group"
      continue_on_error  = true
      arguments          = { groupID = data.entragov_group.sales.id } # several groups: comma-separated ids
    },
  ]
}

# Leaver for guests: on their leave date, end their access packages and revoke their sessions. Destroy
# deletes the workflow for good instead of leaving it restorable in deletedItems for 30 days.
resource "entragov_lifecycle_workflow" "guest_leavers" {
  category     = "leaver"
  display_name = "Offboard guests"

  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Guest')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }

  tasks = [
    {
      task_definition_id = "42ae2956-193d-4f39-be06-691b8ac4fa1d" # Remove all access package assignments for user
      display_name       = "Remove access package assignments"
    },
    {
      task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee" # Revoke all refresh tokens for user
      display_name       = "Revoke sessions"
    },
    {
      task_definition_id = "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff" # Delete user account
      display_name       = "Delete the guest account"
      arguments          = { deleteOnPremisesAccount = "false" }
    },
  ]

  permanently_delete_on_destroy = true
}

# Mover: when a member's department changes, tell their manager.
resource "entragov_lifecycle_workflow" "department_movers" {
  category     = "mover"
  display_name = "Department change"

  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Member')" }
    trigger = { type = "attributeChangeTrigger", trigger_attributes = ["department"] }
  }

  tasks = [{
    task_definition_id = "aab41899-9972-422a-9d97-f626014578b7" # Send email to notify manager of user move
    display_name       = "Notify the manager"
  }]
}
