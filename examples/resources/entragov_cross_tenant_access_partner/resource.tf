# Onboarding a partner: Fabrikam's tenant is a connected organization (its users may request access
# packages) and has its own cross-tenant access settings: Fabrikam's MFA is trusted, so its users are not
# asked for a second factor again, all of them may come in through B2B collaboration, and invitations are
# redeemed without the consent prompt (Fabrikam must allow automatic redemption outbound too).
locals {
  fabrikam_tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
}

resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design agency working on Project Falcon"
  state        = "configured"
  identity_sources = [
    { type = "azureActiveDirectoryTenant", tenant_id = local.fabrikam_tenant_id, display_name = "Fabrikam" },
  ]
}

resource "entragov_cross_tenant_access_partner" "fabrikam" {
  tenant_id = local.fabrikam_tenant_id

  inbound_trust = {
    mfa_accepted = true
  }

  b2b_collaboration_inbound = {
    users_and_groups = {
      access_type = "allowed"
      targets     = [{ target = "AllUsers", target_type = "user" }]
    }
    applications = {
      access_type = "allowed"
      targets     = [{ target = "AllApplications", target_type = "application" }]
    }
  }

  automatic_user_consent_settings = {
    inbound_allowed  = true
    outbound_allowed = true
  }
}
