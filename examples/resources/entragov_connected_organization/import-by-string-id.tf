# A connected organization, by its Graph object id.
import {
  to = entragov_connected_organization.fabrikam
  id = "00000000-0000-0000-0000-000000000000"
}
