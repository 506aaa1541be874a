# A guest from a partner organisation, by mail (guests' user principal names are generated).
data "entragov_user" "partner_consultant" {
  mail = "ben@fabrikam.com"
}

# A member, by user principal name.
data "entragov_user" "sales_manager" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

output "consultant" {
  value = "${data.entragov_user.partner_consultant.display_name} (${data.entragov_user.partner_consultant.user_type}, ${data.entragov_user.partner_consultant.company_name})"
}
