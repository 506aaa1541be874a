# An assignment, by the Graph object id of the assignment (not of its request).
import {
  to = entragov_access_package_assignment.carla
  id = "00000000-0000-0000-0000-000000000000"
}
