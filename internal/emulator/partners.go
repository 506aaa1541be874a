package emulator

// AddPartnerTenant makes another Microsoft Entra tenant and its verified domains known to the
// local API: a connected organization created or updated with a domainIdentitySource of one of
// these domains is stored as the tenant's azureActiveDirectoryTenant source
// (https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0). The
// seeded partner tenants are entitlement.SeededPartnerTenants; a reset forgets the added ones.
func (s *Server) AddPartnerTenant(id, name string, domains ...string) error {
	return s.ent.AddPartnerTenant(id, name, domains...)
}
