# The tenant's external collaboration settings, by the authorization policy's Graph id.
import {
  to = entragov_external_collaboration_settings.tenant
  id = "authorizationPolicy"
}
