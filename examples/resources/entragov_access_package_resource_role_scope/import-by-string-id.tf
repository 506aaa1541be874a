# A role scope, by "<access package id>/<catalog role id>_<catalog scope id>".
import {
  to = entragov_access_package_resource_role_scope.team
  id = "00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111_22222222-2222-2222-2222-222222222222"
}
