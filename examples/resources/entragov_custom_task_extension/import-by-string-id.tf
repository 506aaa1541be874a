# A custom task extension, by its object id.
import {
  to = entragov_custom_task_extension.manager_access
  id = "00000000-0000-0000-0000-000000000000"
}
