# A role assignment, by its Graph id.
import {
  to = entragov_catalog_role_assignment.partner_managers_own
  id = "00000000-0000-0000-0000-000000000000"
}
