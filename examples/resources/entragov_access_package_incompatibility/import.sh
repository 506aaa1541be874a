# An incompatibility is imported by "<access package id>/<incompatible access package id>".
terraform import entragov_access_package_incompatibility.buyer_excludes_approvers 00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111
