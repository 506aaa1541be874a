resource "entragov_catalog" "projects" {
  display_name       = "Projects"
  description        = "Project teams, their tools and partners"
  externally_visible = true
}

resource "entragov_access_package" "design_project" {
  catalog_id   = entragov_catalog.projects.id
  display_name = "Design project"
  description  = "Project site, team group and design tools"
}

data "entragov_group" "finance" {
  display_name = "Finance"
}

data "entragov_user" "project_lead" {
  user_principal_name = "PattiF@contoso.onmicrosoft.com"
}

locals {
  # The connected organization of the partner (entragov_connected_organization.fabrikam.id once it is
  # managed by Terraform).
  fabrikam_connected_organization_id = "0c0e0f0a-1b2c-4d3e-8f4a-5b6c7d8e9f00"
}

# Partner consultants request access themselves; an internal sponsor approves; access ends after 180 days.
resource "entragov_assignment_policy" "fabrikam_consultants" {
  access_package_id    = entragov_access_package.design_project.id
  display_name         = "Fabrikam consultants"
  description          = "Fabrikam users request; sponsor approves; access ends after 180 days"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = local.fabrikam_connected_organization_id },
  ]
  expiration         = { type = "afterDuration", duration = "P180D" }
  requestor_settings = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "internalSponsors" }]
    }]
  }
}

# Employees request; their manager approves, escalating to Finance after two days, then the project lead
# approves. Access is reviewed every quarter, and requestors answer two questions.
resource "entragov_assignment_policy" "employees" {
  access_package_id    = entragov_access_package.design_project.id
  display_name         = "Employees"
  description          = "Members request; manager, then project lead approve; reviewed quarterly"
  allowed_target_scope = "allMemberUsers"
  expiration           = { type = "afterDuration", duration = "P365D" }

  requestor_settings = {
    enable_targets_to_self_add_access         = true
    enable_targets_to_self_update_access      = true
    enable_targets_to_self_remove_access      = true
    enable_on_behalf_requestors_to_add_access = true
    on_behalf_requestors                      = [{ type = "targetManager", manager_level = 1 }]
  }

  request_approval_settings = {
    approval_required_for_add        = true
    requestor_justification_required = true
    stages = [
      {
        duration_before_automatic_denial = "P7D"
        approver_justification_required  = true
        escalation_enabled               = true
        duration_before_escalation       = "P2D"
        primary_approvers                = [{ type = "requestorManager", manager_level = 1 }]
        fallback_primary_approvers       = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }]
        escalation_approvers             = [{ type = "groupMembers", group_id = data.entragov_group.finance.id }]
      },
      {
        duration_before_automatic_denial = "P14D"
        primary_approvers                = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }]
        approver_information_visibility  = "visible"
      },
    ]
  }

  review_settings = {
    expiration_behavior = "removeAccess"
    primary_reviewers   = [{ type = "requestorManager", manager_level = 1 }]
    fallback_reviewers  = [{ type = "singleUser", user_id = data.entragov_user.project_lead.id }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }

  questions = [
    {
      type                 = "accessPackageTextInputQuestion"
      text                 = "Project code?"
      required             = true
      single_line_question = true
      regex_pattern        = "^[A-Z]{2}-[0-9]{4}$"
      localizations        = [{ language_code = "fr-CA", text = "Code du projet?" }]
    },
    {
      type                       = "accessPackageMultipleChoiceQuestion"
      text                       = "Which office do you work from?"
      multiple_selection_allowed = false
      choices = [
        { actual_value = "SEA", text = "Seattle" },
        { actual_value = "LON", text = "London", localizations = [{ language_code = "fr", text = "Londres" }] },
      ]
    },
  ]

  notification_settings = { assignment_notification_disabled = false }
}

# Everyone in Sales gets the package automatically, and loses it a week after leaving Sales.
resource "entragov_assignment_policy" "sales_auto" {
  access_package_id    = entragov_access_package.design_project.id
  display_name         = "Sales department"
  description          = "Assigned automatically by department"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Sales\")" },
  ]
  automatic_request_settings = {
    request_access_for_allowed_targets               = true
    remove_access_when_target_leaves_allowed_targets = true
    grace_period_before_access_removal               = "P7D"
  }
  expiration = { type = "noExpiration" }
}

# Break-glass access for engineers: eight hours, no more.
resource "entragov_assignment_policy" "break_glass" {
  access_package_id    = entragov_access_package.design_project.id
  display_name         = "Break-glass"
  description          = "On-call engineers, eight hours at a time"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "groupMembers", group_id = "5eed0002-0000-4000-8000-000000000003" }, # Engineering
  ]
  requestor_settings = { enable_targets_to_self_add_access = true }
  expiration         = { type = "afterDuration", duration = "PT8H" }
}
