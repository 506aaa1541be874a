data "entragov_group" "project_falcon" {
  display_name = "Project Falcon"
}

data "entragov_user" "partner_manager" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

# Every quarter, the sponsors of the Fabrikam guests in Project Falcon confirm that each guest still needs
# access. A guest nobody vouches for within two weeks is denied, and the denial is applied: the guest
# leaves the group. Guests without a sponsor are reviewed by the partner manager.
resource "entragov_access_review" "falcon_guests" {
  display_name              = "Fabrikam guests in Project Falcon (quarterly)"
  description_for_admins    = "Quarterly attestation of Fabrikam guest access to Project Falcon"
  description_for_reviewers = "You sponsor these Fabrikam guests. Approve only those still working on Project Falcon."

  scope = {
    type       = "accessReviewQueryScope"
    query      = "/groups/${data.entragov_group.project_falcon.id}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')"
    query_type = "MicrosoftGraph"
  }

  reviewers = [
    { query = "./sponsors", query_type = "MicrosoftGraph", query_root = "decisions" },
  ]
  fallback_reviewers = [
    { query = "/users/${data.entragov_user.partner_manager.id}", query_type = "MicrosoftGraph" },
  ]

  settings = {
    instance_duration_in_days          = 14
    mail_notifications_enabled         = true
    reminder_notifications_enabled     = true
    justification_required_on_approval = true
    default_decision_enabled           = true
    default_decision                   = "Deny"
    auto_apply_decisions_enabled       = true
    apply_actions                      = [{ type = "removeAccessApplyAction" }]
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3, day_of_month = 1 }
      range   = { type = "noEnd", start_date = "2027-01-01" }
    }
  }
}
