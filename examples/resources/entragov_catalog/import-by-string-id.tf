# A catalog, by its Graph object id.
import {
  to = entragov_catalog.partner_onboarding
  id = "00000000-0000-0000-0000-000000000000"
}
