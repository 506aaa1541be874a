resource "entragov_lifecycle_workflow" "on_demand" {
  category             = "leaver"
  display_name         = "Urgent offboarding"
  execution_conditions = { type = "onDemandExecutionOnly" }
  tasks = [{
    task_definition_id = "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950" # Disable user account
    display_name       = "Disable the account"
  }]
}

# Look a workflow up by its display name (or by id).
data "entragov_lifecycle_workflow" "urgent" {
  display_name = entragov_lifecycle_workflow.on_demand.display_name
}

output "urgent_offboarding_version" {
  value = data.entragov_lifecycle_workflow.urgent.version
}
