package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Partner tenants: the other Microsoft Entra tenants the local API knows, each with its verified
// domains. A connected organization created (or updated) with a domainIdentitySource whose domain
// belongs to one of them is stored as that tenant's azureActiveDirectoryTenant source
// (https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0), named as
// the tenant (https://learn.microsoft.com/graph/api/resources/azureactivedirectorytenant?view=graph-rest-1.0).
//
// They live in the store (collection collPartnerTenants, one document per tenant: id, displayName,
// domains), so a reset brings back the seeded table below and drops the ones tests added.

const collPartnerTenants = "_partnerTenants"

// PartnerTenant is a known Entra tenant other than the local one.
type PartnerTenant struct {
	ID          string
	DisplayName string
	Domains     []string
}

// SeededPartnerTenants are the partner tenants of a new local API. Their names and domains are the
// fictitious companies of Microsoft's documentation; the ids are ours. None of these domains is a
// plain domain source of the provider's tests (fabrikam.com stays a domain there), which add
// their own tenants with AddPartnerTenant.
var SeededPartnerTenants = []PartnerTenant{
	{ID: "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", DisplayName: "Fabrikam", Domains: []string{"fabrikam.onmicrosoft.com"}},
	{ID: "3c9a7e51-2d4b-4f60-8a1e-6b5c4d3e2f10", DisplayName: "Woodgrove Bank", Domains: []string{"woodgrovebank.onmicrosoft.com", "woodgrovebank.com"}},
	{ID: "b7d2e4f6-1a3c-4e5b-9d7f-0a2c4e6b8d1f", DisplayName: "Litware Inc.", Domains: []string{"litwareinc.onmicrosoft.com", "litwareinc.com"}},
}

// normDomain is the lookup form of a domain name: lower case, no trailing dot.
func normDomain(d string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
}

// seedPartnerTenants writes the seeded partner tenants (part of Seed).
func (s *API) seedPartnerTenants() error {
	for _, t := range SeededPartnerTenants {
		if err := s.putPartnerTenant(t); err != nil {
			return err
		}
	}
	return nil
}

// AddPartnerTenant makes a tenant and its verified domains known (or replaces what was known of
// the tenant). A domain another known tenant holds answers an error.
func (s *API) AddPartnerTenant(id, name string, domains ...string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.putPartnerTenant(PartnerTenant{ID: id, DisplayName: name, Domains: domains})
}

// putPartnerTenant writes one partner tenant. Callers hold the write lock, or seed.
func (s *API) putPartnerTenant(t PartnerTenant) error {
	if _, err := uuid.Parse(t.ID); err != nil {
		return fmt.Errorf("partner tenant id %q is not a GUID", t.ID)
	}
	if strings.TrimSpace(t.DisplayName) == "" {
		return fmt.Errorf("partner tenant %s needs a name", t.ID)
	}
	id := strings.ToLower(t.ID)
	domains := make([]any, 0, len(t.Domains))
	for _, d := range t.Domains {
		if !validDomainName(d) {
			return fmt.Errorf("partner tenant %s: %q is not a domain name", t.ID, d)
		}
		n := normDomain(d)
		if other, _, ok := s.tenantOfDomain(n); ok && other != id {
			return fmt.Errorf("partner tenant %s: domain %s belongs to tenant %s", t.ID, n, other)
		}
		domains = append(domains, n)
	}
	doc := map[string]any{"id": id, "displayName": t.DisplayName, "domains": domains}
	if err := s.Store.Delete(collPartnerTenants, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.Store.Insert(collPartnerTenants, id, doc, time.Unix(0, 0))
}

// tenantOfDomain returns the id and name of the known tenant that verified the domain.
func (s *API) tenantOfDomain(domain string) (id, name string, ok bool) {
	recs, err := s.Store.List(collPartnerTenants)
	if err != nil {
		return "", "", false
	}
	n := normDomain(domain)
	for _, rec := range recs {
		for _, d := range wire.AnySlice(rec.Body["domains"]) {
			if d == n {
				return rec.ID, wire.StrField(rec.Body, "displayName"), true
			}
		}
	}
	return "", "", false
}

// tenantName returns the name of a known tenant.
func (s *API) tenantName(id string) (string, bool) {
	rec, err := s.Store.Get(collPartnerTenants, id)
	if err != nil {
		return "", false
	}
	return wire.StrField(rec.Body, "displayName"), true
}

// ctlAddPartnerTenant serves POST /_emulator/partnerTenants with {"id", "displayName", "domains"}.
func (s *API) ctlAddPartnerTenant(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	id, _ := body["id"].(string)
	name, _ := body["displayName"].(string)
	var domains []string
	for _, d := range wire.AnySlice(body["domains"]) {
		ds, ok := d.(string)
		if !ok {
			return wire.BadRequest("domains: a list of domain names is expected.")
		}
		domains = append(domains, ds)
	}
	if err := s.AddPartnerTenant(id, name, domains...); err != nil {
		return wire.BadRequest(err.Error())
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
