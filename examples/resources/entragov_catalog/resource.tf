# A published catalog that users in connected organizations can request from.
resource "entragov_catalog" "partner_onboarding" {
  display_name       = "Partner onboarding"
  description        = "Access packages for employees of partner organizations"
  state              = "published"
  externally_visible = true
}

# A catalog that is still being prepared: its access packages cannot be requested yet.
resource "entragov_catalog" "finance_pilot" {
  display_name       = "Finance pilot"
  description        = "Access packages for the finance pilot, not yet open for requests"
  state              = "unpublished"
  externally_visible = false
}
