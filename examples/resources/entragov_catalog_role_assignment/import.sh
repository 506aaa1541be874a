# A role assignment is imported by its Graph id.
terraform import entragov_catalog_role_assignment.partner_managers_own 00000000-0000-0000-0000-000000000000
