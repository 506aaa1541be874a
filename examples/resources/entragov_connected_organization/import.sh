# A connected organization is imported by its Graph object id.
terraform import entragov_connected_organization.fabrikam 00000000-0000-0000-0000-000000000000
