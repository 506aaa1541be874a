# An assignment managed elsewhere in the configuration (see entragov_access_package_assignment).
variable "assignment_id" {
  type        = string
  description = "Object id of the access package assignment to reprocess."
}

# Deliver the assignment's access again, for example after someone removed the user from the group:
#   terraform apply -invoke=action.entragov_access_package_assignment_reprocess.falcon
action "entragov_access_package_assignment_reprocess" "falcon" {
  config {
    assignment_id = var.assignment_id
  }
}
