# The default configuration is a singleton, imported with a fixed id.
terraform import entragov_cross_tenant_access_default.tenant cross-tenant-access-default
