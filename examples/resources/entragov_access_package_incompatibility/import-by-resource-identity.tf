# An incompatibility, by its two access packages. Terraform 1.12 and later.
import {
  to = entragov_access_package_incompatibility.buyer_excludes_approvers
  identity = {
    access_package_id              = "00000000-0000-0000-0000-000000000000"
    incompatible_access_package_id = "11111111-1111-1111-1111-111111111111"
  }
}
