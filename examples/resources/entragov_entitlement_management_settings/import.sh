# The settings are a singleton, imported with a fixed id.
terraform import entragov_entitlement_management_settings.tenant entitlement-management-settings
