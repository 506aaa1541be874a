resource "entragov_catalog" "projects" {
  display_name = "Projects"
}

resource "entragov_access_package" "design_project" {
  catalog_id   = entragov_catalog.projects.id
  display_name = "Design project"
}

resource "entragov_assignment_policy" "employees" {
  access_package_id    = entragov_access_package.design_project.id
  display_name         = "Employees"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  expiration           = { type = "afterDuration", duration = "P365D" }
}

# By display name within an access package.
data "entragov_assignment_policy" "employees" {
  access_package_id = entragov_access_package.design_project.id
  display_name      = "Employees"
  depends_on        = [entragov_assignment_policy.employees]
}

output "employee_access_lasts" {
  value = data.entragov_assignment_policy.employees.expiration.duration
}
