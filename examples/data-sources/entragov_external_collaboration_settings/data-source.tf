# The tenant's external collaboration settings, for example to check a posture in a plan.
data "entragov_external_collaboration_settings" "tenant" {}

output "guests_may_be_invited_by" {
  value = data.entragov_external_collaboration_settings.tenant.allow_invites_from
}
