# An access review series, by its Graph object id.
import {
  to = entragov_access_review.falcon_guests
  id = "00000000-0000-0000-0000-000000000000"
}
