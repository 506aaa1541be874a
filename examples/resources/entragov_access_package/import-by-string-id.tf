# An access package, by its Graph object id.
import {
  to = entragov_access_package.crm
  id = "00000000-0000-0000-0000-000000000000"
}
