terraform {
  required_version = ">= 1.11"

  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# Credentials come from the environment (see the authentication guide). Reading needs User.Read.All and
# EntitlementManagement.Read.All; nothing here writes.
provider "entragov" {}

# Who is already inside: every guest and B2B member, with domain, company, invitation state and sponsors.
data "entragov_external_users" "all" {}

# The partners already set up for entitlement management.
data "entragov_connected_organizations" "all" {}

locals {
  organization_names = { for o in data.entragov_connected_organizations.all.connected_organizations : o.id => o.display_name }
  external_users     = data.entragov_external_users.all.users
}

output "external_users_per_domain" {
  value = { for d in data.entragov_external_users.all.by_domain : d.domain => d.count }
}

output "external_users_per_company" {
  value = { for c in data.entragov_external_users.all.by_company : c.company_name => c.count }
}

# Domains a connected organization already covers, with its name (its id, should the two lists disagree
# for a moment while Graph replicates a new organization).
output "covered_domains" {
  value = {
    for d in data.entragov_external_users.all.by_domain :
    d.domain => lookup(local.organization_names, d.connected_organization_id, d.connected_organization_id)
    if d.connected_organization_id != null
  }
}

# Domains whose users came in without a connected organization: the partners to set up next.
output "uncovered_domains" {
  value = [for d in data.entragov_external_users.all.by_domain : d.domain if d.connected_organization_id == null]
}

output "pending_invitations" {
  value = [for u in local.external_users : u.mail if u.external_user_state == "PendingAcceptance"]
}

output "guests_without_sponsor" {
  value = [for u in local.external_users : u.mail if length(u.sponsor_ids) == 0]
}
