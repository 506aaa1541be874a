# A user's sponsors, by the user's Graph object id.
import {
  to = entragov_user_sponsors.ben
  id = "00000000-0000-0000-0000-000000000000"
}
