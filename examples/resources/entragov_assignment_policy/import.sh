# An assignment policy is imported by its Graph object id; its access package is read from Graph.
terraform import entragov_assignment_policy.employees 00000000-0000-0000-0000-000000000000
