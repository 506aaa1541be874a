# After: the same objects as entragov resources. Each moved block hands one object from the
# azuread resource to the entragov one; nothing is created or destroyed.

moved {
  from = azuread_access_package_catalog.sales
  to   = entragov_catalog.sales
}

resource "entragov_catalog" "sales" {
  display_name       = "Sales"
  description        = "Resources of the sales team"
  state              = "published" # azuread: published = true (its default)
  externally_visible = true        # azuread: externally_visible = true (its default)
}

moved {
  from = azuread_access_package_resource_catalog_association.sales_group
  to   = entragov_catalog_resource.sales_group
}

resource "entragov_catalog_resource" "sales_group" {
  catalog_id    = entragov_catalog.sales.id
  origin_system = "AadGroup"
  origin_id     = var.sales_group_id
}

moved {
  from = azuread_access_package.sales
  to   = entragov_access_package.sales
}

resource "entragov_access_package" "sales" {
  catalog_id   = entragov_catalog.sales.id
  display_name = "Sales team"
  description  = "Membership of the sales group"
  hidden       = false
}

moved {
  from = azuread_access_package_resource_package_association.sales_group_member
  to   = entragov_access_package_resource_role_scope.sales_group_member
}

resource "entragov_access_package_resource_role_scope" "sales_group_member" {
  access_package_id   = entragov_access_package.sales.id
  catalog_resource_id = entragov_catalog_resource.sales_group.id
  role_origin_id      = "Member_${var.sales_group_id}" # azuread: access_type = "Member"
}

moved {
  from = azuread_access_package_assignment_policy.sales
  to   = entragov_assignment_policy.sales
}

resource "entragov_assignment_policy" "sales" {
  access_package_id    = entragov_access_package.sales.id
  display_name         = "Sales members"
  description          = "Members request, the approvers group approves, reviews every quarter"
  allowed_target_scope = "allMemberUsers"                              # scope_type = "AllExistingDirectoryMemberUsers"
  expiration           = { type = "afterDuration", duration = "P90D" } # duration_in_days = 90

  requestor_settings = {
    enable_targets_to_self_add_access    = true # requests_accepted = true
    enable_targets_to_self_update_access = true # extension_enabled = true
  }

  request_approval_settings = {
    approval_required_for_add = true # approval_required = true
    stages = [{
      duration_before_automatic_denial = "P14D" # approval_timeout_in_days = 14
      primary_approvers                = [{ type = "groupMembers", group_id = var.approvers_group_id }]
    }]
  }

  review_settings = {
    enabled                         = true
    expiration_behavior             = "removeAccess" # access_review_timeout_behavior
    recommendation_enabled          = false          # access_recommendation_enabled (unset: false)
    reviewer_justification_required = false          # approver_justification_required (unset: false)
    self_review                     = true           # review_type = "Self"
    schedule = {
      start_date_time = "2030-01-07T00:00:00Z"                                   # starting_on
      duration        = "P14D"                                                   # duration_in_days = 14
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } } # review_frequency = "quarterly"
    }
  }

  questions = [{
    type     = "accessPackageTextInputQuestion"
    text     = "Why do you need access?"
    required = true
  }]
}
