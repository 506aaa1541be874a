# The tasks available to leaver workflows, with their arguments.
data "entragov_task_definitions" "leaver" {
  category = "leaver"
}

output "leaver_tasks" {
  value = { for d in data.entragov_task_definitions.leaver.task_definitions : d.display_name => d.id }
}
