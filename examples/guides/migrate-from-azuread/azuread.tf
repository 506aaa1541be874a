# Before: the access package as the azuread provider manages it.

resource "azuread_access_package_catalog" "sales" {
  display_name = "Sales"
  description  = "Resources of the sales team"
}

resource "azuread_access_package_resource_catalog_association" "sales_group" {
  catalog_id             = azuread_access_package_catalog.sales.id
  resource_origin_id     = var.sales_group_id
  resource_origin_system = "AadGroup"
}

resource "azuread_access_package" "sales" {
  catalog_id   = azuread_access_package_catalog.sales.id
  display_name = "Sales team"
  description  = "Membership of the sales group"
}

resource "azuread_access_package_resource_package_association" "sales_group_member" {
  access_package_id               = azuread_access_package.sales.id
  catalog_resource_association_id = azuread_access_package_resource_catalog_association.sales_group.id
  access_type                     = "Member"
}

resource "azuread_access_package_assignment_policy" "sales" {
  access_package_id = azuread_access_package.sales.id
  display_name      = "Sales members"
  description       = "Members request, the approvers group approves, reviews every quarter"
  duration_in_days  = 90
  extension_enabled = true

  requestor_settings {
    scope_type        = "AllExistingDirectoryMemberUsers"
    requests_accepted = true
  }

  approval_settings {
    approval_required = true

    approval_stage {
      approval_timeout_in_days = 14

      primary_approver {
        subject_type = "GroupMembers"
        object_id    = var.approvers_group_id
      }
    }
  }

  assignment_review_settings {
    enabled                        = true
    review_frequency               = "quarterly"
    review_type                    = "Self"
    starting_on                    = "2030-01-07T00:00:00Z"
    duration_in_days               = 14
    access_review_timeout_behavior = "removeAccess"
  }

  question {
    required = true
    sequence = 1

    text {
      default_text = "Why do you need access?"
    }
  }
}
