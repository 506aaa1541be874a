terraform {
  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# Credentials come from the environment (see the authentication guide).
provider "entragov" {}

resource "entragov_catalog" "tools" {
  display_name = "Engineering tools"
  description  = "Access packages for the engineering tools"
}

resource "entragov_access_package" "build" {
  catalog_id   = entragov_catalog.tools.id
  display_name = "Build servers"
  description  = "Sign-in to the build servers"
}

resource "entragov_assignment_policy" "employees" {
  access_package_id    = entragov_access_package.build.id
  display_name         = "Employees"
  description          = "Members request; their manager approves; access ends after 180 days"
  allowed_target_scope = "allMemberUsers"
  expiration           = { type = "afterDuration", duration = "P180D" }
  requestor_settings   = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "requestorManager", manager_level = 1 }]
    }]
  }
}

output "policy_id" {
  value = entragov_assignment_policy.employees.id
}
