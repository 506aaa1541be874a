# An incompatibility, by "<access package id>/<incompatible access package id>".
import {
  to = entragov_access_package_incompatibility.buyer_excludes_approvers
  id = "00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111"
}
