# Guests may be invited only from partner organizations. Backed by Microsoft Graph beta (v1.0 has no API
# for the list). Use blocked_domains instead to invite from anywhere but some domains.
resource "entragov_invitation_domain_policy" "partners_only" {
  allowed_domains = [
    "fabrikam.com",
    "woodgrovebank.com",
    "litwareinc.com",
  ]
}
