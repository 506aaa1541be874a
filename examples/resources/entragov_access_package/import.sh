# An access package is imported by its Graph object id.
terraform import entragov_access_package.crm 00000000-0000-0000-0000-000000000000
