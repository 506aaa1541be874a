# A catalog is imported by its Graph object id.
terraform import entragov_catalog.partner_onboarding 00000000-0000-0000-0000-000000000000
