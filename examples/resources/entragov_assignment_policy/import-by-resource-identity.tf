# An assignment policy, by its Graph object id. Terraform 1.12 and later.
import {
  to = entragov_assignment_policy.employees
  identity = {
    id = "00000000-0000-0000-0000-000000000000"
  }
}
