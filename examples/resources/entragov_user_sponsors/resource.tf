data "entragov_user" "fabrikam_guest" {
  mail = "ben@fabrikam.com"
}

data "entragov_user" "partner_manager" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

data "entragov_group" "fabrikam_partners" {
  display_name = "Fabrikam partners"
}

# Ben, a guest from Fabrikam, is sponsored by the partner manager and by the group that runs the partnership.
resource "entragov_user_sponsors" "ben" {
  user_id = data.entragov_user.fabrikam_guest.id
  sponsor_ids = [
    data.entragov_user.partner_manager.id,
    data.entragov_group.fabrikam_partners.id,
  ]
}
