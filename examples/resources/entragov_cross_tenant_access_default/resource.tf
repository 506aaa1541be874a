# Tenant-wide defaults for every external tenant without a partner configuration: B2B collaboration
# stays open both ways, except that the finance group may not collaborate in other tenants, and no
# other tenant's MFA or device claims are trusted. Settings left out (B2B direct connect, tenant
# restrictions, invitation redemption) keep their current values. Destroying this resource resets the
# defaults to the system default.
resource "entragov_cross_tenant_access_default" "tenant" {
  b2b_collaboration_outbound = {
    users_and_groups = {
      access_type = "blocked"
      targets     = [{ target = "0be493dc-cb56-4a53-936f-9cf64410b8b0", target_type = "group" }]
    }
    applications = {
      access_type = "allowed"
      targets     = [{ target = "AllApplications", target_type = "application" }]
    }
  }

  inbound_trust = {
    mfa_accepted                           = false
    compliant_device_accepted              = false
    hybrid_azure_ad_joined_device_accepted = false
  }

  invitation_redemption_identity_provider_configuration = {
    primary_identity_provider_precedence_order = ["azureActiveDirectory", "externalFederation", "socialIdentityProviders"]
    fallback_identity_provider                 = "emailOneTimePasscode"
  }
}
