# An invitation, by the invited user's Graph object id. Terraform 1.12 and later.
import {
  to = entragov_invitation.fabrikam_consultant
  identity = {
    id = "00000000-0000-0000-0000-000000000000"
  }
}
