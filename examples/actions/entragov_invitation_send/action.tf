# Invite a partner consultant when their onboarding record is created.
resource "terraform_data" "ada" {
  input = "ada@fabrikam.com"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.entragov_invitation_send.ada]
    }
  }
}

# Send the invitation again at any time (same guest user, new invitation email) with:
#   terraform apply -invoke=action.entragov_invitation_send.ada
action "entragov_invitation_send" "ada" {
  config {
    user_email_address = terraform_data.ada.input
    user_display_name  = "Ada Lovelace (Fabrikam)"
    redirect_url       = "https://myapps.microsoft.com"
    message = {
      body                  = "Welcome to the Falcon project. Accept this invitation to reach the project's apps."
      additional_recipients = ["patti@contoso.onmicrosoft.com"]
    }
  }
}
