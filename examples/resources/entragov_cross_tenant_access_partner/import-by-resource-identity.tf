# A partner configuration, by its identity: the partner's tenant id. Terraform 1.12 and later.
import {
  to = entragov_cross_tenant_access_partner.fabrikam
  identity = {
    tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
  }
}
