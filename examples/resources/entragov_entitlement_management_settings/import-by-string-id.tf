# The tenant's entitlement management settings, by their fixed id.
import {
  to = entragov_entitlement_management_settings.tenant
  id = "entitlement-management-settings"
}
