# The settings are a singleton, imported with the fixed id lifecycle-workflow-settings.
terraform import entragov_lifecycle_workflow_settings.this lifecycle-workflow-settings
