# The tenant's entitlement management settings; tenant_id may be left out (the provider's tenant). Terraform 1.12 and later.
import {
  to = entragov_entitlement_management_settings.tenant
  identity = {
    tenant_id = "00000000-0000-0000-0000-000000000000"
  }
}
