data "entragov_user" "consultant" {
  mail = "carla@fabrikam.com"
}

# Everything one user holds, e.g. for an offboarding check.
data "entragov_access_package_assignments" "consultant" {
  target_id = data.entragov_user.consultant.id
  state     = "delivered"
}

output "consultant_packages" {
  value = [for a in data.entragov_access_package_assignments.consultant.assignments : a.access_package_id]
}
