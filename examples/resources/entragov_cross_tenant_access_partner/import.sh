# A partner configuration is imported by the partner's tenant id.
terraform import entragov_cross_tenant_access_partner.fabrikam 8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b
