# An assignment, by the Graph object id of the assignment (not of its request). Terraform 1.12 and later.
import {
  to = entragov_access_package_assignment.carla
  identity = {
    id = "00000000-0000-0000-0000-000000000000"
  }
}
