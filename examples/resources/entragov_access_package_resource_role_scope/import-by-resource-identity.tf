# A role scope, by its access package and its id ("<catalog role id>_<catalog scope id>"). Terraform 1.12 and later.
import {
  to = entragov_access_package_resource_role_scope.team
  identity = {
    access_package_id = "00000000-0000-0000-0000-000000000000"
    id                = "11111111-1111-1111-1111-111111111111_22222222-2222-2222-2222-222222222222"
  }
}
