package provider_test

// Generated configuration for the cross-tenant access settings (TestAccCLI_generateConfig): a partner
// configuration with nulls that inherit the default, and the default singleton with every block Graph
// holds.
func init() {
	generateConfigCases = append(generateConfigCases,
		generateConfigCase{
			name: "cross_tenant_access_partner",
			setup: `
resource "entragov_cross_tenant_access_partner" "test" {
  tenant_id     = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
  inbound_trust = { mfa_accepted = true }
  b2b_collaboration_inbound = {
    users_and_groups = { access_type = "allowed", targets = [{ target = "AllUsers", target_type = "user" }] }
  }
  automatic_user_consent_settings = { inbound_allowed = true, outbound_allowed = true }
}
`,
			imports: map[string]func(map[string]any) string{"entragov_cross_tenant_access_partner.test": byID},
			want:    []string{`"8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"`, `mfa_accepted = true`, `"AllUsers"`, `inbound_allowed = true`},
		},
		generateConfigCase{
			name: "cross_tenant_access_default",
			setup: `
resource "entragov_cross_tenant_access_default" "test" {
  b2b_collaboration_outbound = {
    users_and_groups = { access_type = "blocked", targets = [{ target = "0be493dc-cb56-4a53-936f-9cf64410b8b0", target_type = "group" }] }
    applications     = { access_type = "allowed", targets = [{ target = "AllApplications", target_type = "application" }] }
  }
}
`,
			imports: map[string]func(map[string]any) string{"entragov_cross_tenant_access_default.test": byID},
			want:    []string{`"0be493dc-cb56-4a53-936f-9cf64410b8b0"`, `"blocked"`, `fallback_identity_provider`},
		},
	)
}
