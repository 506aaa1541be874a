# Every connected organization with the domains and tenants its identity sources name.
data "entragov_connected_organizations" "all" {}

# Only the partners proposed but not yet configured (their users cannot request access yet).
data "entragov_connected_organizations" "proposed" {
  state = "proposed"
}

output "connected_organization_domains" {
  value = { for o in data.entragov_connected_organizations.all.connected_organizations : o.display_name => o.domains }
}

output "proposed_partners" {
  value = [for o in data.entragov_connected_organizations.proposed.connected_organizations : o.display_name]
}
