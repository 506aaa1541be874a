# An assignment is imported by its Graph object id (the assignment, not the request).
terraform import entragov_access_package_assignment.carla 00000000-0000-0000-0000-000000000000
