# Run scheduled workflows every 6 hours and brand their emails. Destroying this resource restores the
# service defaults (every 3 hours, Microsoft's sender domain, no branding).
resource "entragov_lifecycle_workflow_settings" "this" {
  workflow_schedule_interval_in_hours = 6

  email_settings = {
    use_company_branding = true
  }
}
