# A role assignment, by its Graph id. Terraform 1.12 and later.
import {
  to = entragov_catalog_role_assignment.partner_managers_own
  identity = {
    id = "00000000-0000-0000-0000-000000000000"
  }
}
