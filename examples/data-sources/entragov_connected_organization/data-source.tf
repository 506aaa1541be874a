resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
}

# By the domain of its identity source, e.g. to target its users in a policy managed elsewhere.
data "entragov_connected_organization" "fabrikam" {
  domain     = "fabrikam.com"
  depends_on = [entragov_connected_organization.fabrikam]
}

output "fabrikam_sponsors" {
  value = data.entragov_connected_organization.fabrikam.internal_sponsor_ids
}
