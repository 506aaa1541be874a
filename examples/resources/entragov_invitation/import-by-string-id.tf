# An invitation, by the invited user's Graph object id.
import {
  to = entragov_invitation.fabrikam_consultant
  id = "00000000-0000-0000-0000-000000000000"
}
