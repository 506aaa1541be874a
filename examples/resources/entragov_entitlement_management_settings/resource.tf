# Guests whose last access package assignment ends are blocked at once and deleted 30 days later.
# Destroying this resource restores the service defaults.
resource "entragov_entitlement_management_settings" "tenant" {
  external_user_lifecycle_action                     = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P30D"
}
