# A partner-facing posture: only admins and users with the Guest Inviter role invite guests, guests get
# the Restricted Guest User role (they see only their own directory objects), nobody joins the tenant by
# email verification, and users may consent only to low-risk permissions of verified apps.
# Attributes left out keep the tenant's values; destroying this resource writes the documented defaults back.
resource "entragov_external_collaboration_settings" "tenant" {
  allow_invites_from                              = "adminsAndGuestInviters"
  guest_user_role_id                              = "2af84b1e-32c8-42b7-82bc-daa82404023b" # Restricted Guest User
  allow_email_verified_users_to_join_organization = false
  allowed_to_sign_up_email_based_subscriptions    = false
  allow_user_consent_for_risky_apps               = false

  default_user_role_permissions = {
    allowed_to_create_tenants          = false
    permission_grant_policies_assigned = ["managePermissionGrantsForSelf.microsoft-user-default-low"]
  }
}
