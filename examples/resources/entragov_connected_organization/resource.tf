data "entragov_user" "partner_manager" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

data "entragov_user" "fabrikam_lead" {
  mail = "ben@fabrikam.com"
}

# A partner known by its domain. Internal sponsors (employees) and external sponsors (the partner's own
# people, as guests) can be approvers in assignment policies. Graph names the identity source itself; if the
# domain belongs to an Entra tenant, resolved_identity_sources shows that tenant.
resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design agency working on Project Falcon"
  state        = "configured"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com" },
  ]
  internal_sponsor_ids = [data.entragov_user.partner_manager.id]
  external_sponsor_ids = [data.entragov_user.fabrikam_lead.id]
}

# A partner with its own Entra tenant, proposed but not yet configured.
resource "entragov_connected_organization" "northwind" {
  display_name = "Northwind Traders"
  state        = "proposed"
  identity_sources = [
    { type = "azureActiveDirectoryTenant", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "Northwind Traders" },
  ]
}
