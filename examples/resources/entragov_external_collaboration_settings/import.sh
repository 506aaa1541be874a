# The settings are the tenant's authorization policy, a singleton imported with its Graph id.
terraform import entragov_external_collaboration_settings.tenant authorizationPolicy
