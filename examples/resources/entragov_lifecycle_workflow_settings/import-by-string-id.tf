# The tenant's lifecycle workflow settings, by their fixed id.
import {
  to = entragov_lifecycle_workflow_settings.this
  id = "lifecycle-workflow-settings"
}
