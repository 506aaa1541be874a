data "entragov_user" "project_lead" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

# A Fabrikam consultant joins Project Falcon as a guest. Graph emails the invitation in French, with a copy
# to the project lead; the consultant lands on the project site after redeeming it.
resource "entragov_invitation" "fabrikam_consultant" {
  invited_user_email_address = "ines.moreau@fabrikam.com"
  invited_user_display_name  = "Inès Moreau (Fabrikam)"
  invite_redirect_url        = "https://contoso.sharepoint.com/sites/falcon"
  send_invitation_message    = true
  invited_user_message_info = {
    message_language = "fr-FR"
    cc_recipients    = [data.entragov_user.project_lead.mail]
  }
}

# The project lead sponsors the consultant: reviews and approvals that name the guest's sponsors go to them.
resource "entragov_user_sponsors" "fabrikam_consultant" {
  user_id     = entragov_invitation.fabrikam_consultant.invited_user_id
  sponsor_ids = [data.entragov_user.project_lead.id]
}
