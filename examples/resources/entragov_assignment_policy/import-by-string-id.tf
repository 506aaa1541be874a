# An assignment policy, by its Graph object id.
import {
  to = entragov_assignment_policy.employees
  id = "00000000-0000-0000-0000-000000000000"
}
