# The id of the tenant's B2B management policy (GET /beta/policies/b2bManagementPolicies lists it).
terraform import entragov_invitation_domain_policy.partners_only f596ef0d-42f9-0359-1aaa-12d02b38802a
