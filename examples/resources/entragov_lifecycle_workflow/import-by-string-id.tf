# A lifecycle workflow, by its Graph object id.
import {
  to = entragov_lifecycle_workflow.sales_joiners
  id = "00000000-0000-0000-0000-000000000000"
}
