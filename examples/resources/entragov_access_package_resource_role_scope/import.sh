# A role scope is imported by "<access package id>/<role scope id>"; the role scope id is
# "<catalog role id>_<catalog scope id>".
terraform import entragov_access_package_resource_role_scope.team 00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111_22222222-2222-2222-2222-222222222222
