# The tenant's external collaboration settings; tenant_id may be left out (the provider's tenant). Terraform 1.12 and later.
import {
  to = entragov_external_collaboration_settings.tenant
  identity = {
    tenant_id = "00000000-0000-0000-0000-000000000000"
  }
}
