# An access review series, by its Graph object id. Terraform 1.12 and later.
import {
  to = entragov_access_review.falcon_guests
  identity = {
    id = "00000000-0000-0000-0000-000000000000"
  }
}
