# The tenant's invitation domain list, by the id of the B2B management policy that holds it. Terraform 1.12 and later.
import {
  to = entragov_invitation_domain_policy.partners_only
  identity = {
    id = "f596ef0d-42f9-0359-1aaa-12d02b38802a"
  }
}
