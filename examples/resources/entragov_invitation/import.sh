# An invitation is imported by the invited user's Graph object id. The invitation-only arguments
# (invite_redirect_url, send_invitation_message, invited_user_message_info, reset_redemption) cannot be
# read back; the next apply records them without inviting the user again.
terraform import entragov_invitation.fabrikam_consultant 00000000-0000-0000-0000-000000000000
