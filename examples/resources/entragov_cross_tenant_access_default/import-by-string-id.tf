# The tenant's default cross-tenant access settings, by their fixed id.
import {
  to = entragov_cross_tenant_access_default.tenant
  id = "cross-tenant-access-default"
}
