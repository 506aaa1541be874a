# Every external user of the tenant, with the domain each comes from and the connected organization that
# covers that domain, counted by domain and by company.
data "entragov_external_users" "all" {}

# The guests of one partner domain who have not redeemed their invitation yet.
data "entragov_external_users" "fabrikam_pending" {
  domain              = "fabrikam.com"
  external_user_state = "PendingAcceptance"
}

output "external_users_per_domain" {
  value = { for d in data.entragov_external_users.all.by_domain : d.domain => d.count }
}

# Domains whose users came in without a connected organization: candidates for one.
output "domains_without_connected_organization" {
  value = [for d in data.entragov_external_users.all.by_domain : d.domain if d.connected_organization_id == null]
}

output "guests_without_sponsor" {
  value = [for u in data.entragov_external_users.all.users : u.user_principal_name if length(u.sponsor_ids) == 0]
}
