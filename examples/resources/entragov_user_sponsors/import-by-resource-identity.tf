# A user's sponsors, by the user's Graph object id. Terraform 1.12 and later.
import {
  to = entragov_user_sponsors.ben
  identity = {
    id = "00000000-0000-0000-0000-000000000000"
  }
}
