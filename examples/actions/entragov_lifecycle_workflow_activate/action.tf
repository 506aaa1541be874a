# A leaver workflow the help desk runs on demand for urgent departures.
resource "entragov_lifecycle_workflow" "urgent" {
  category             = "leaver"
  display_name         = "Urgent departures"
  execution_conditions = { type = "onDemandExecutionOnly" }
  tasks = [
    { task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee", display_name = "Revoke sessions" },
  ]

  # Run it once for the first leavers as soon as it exists.
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.entragov_lifecycle_workflow_activate.urgent]
    }
  }
}

data "entragov_user" "alex" {
  user_principal_name = "AlexW@contoso.onmicrosoft.com"
}

# Run it again at any time with:
#   terraform apply -invoke=action.entragov_lifecycle_workflow_activate.urgent
action "entragov_lifecycle_workflow_activate" "urgent" {
  config {
    workflow_id = entragov_lifecycle_workflow.urgent.id
    user_ids    = [data.entragov_user.alex.id]
  }
}
