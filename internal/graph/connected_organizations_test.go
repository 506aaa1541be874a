package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const coPath = "/v1.0/identityGovernance/entitlementManagement/connectedOrganizations"

// documentedOrgServer is a scripted Graph that answers the connected organization calls as the v1.0
// reference pages document them, and nothing else. It records every request.
type documentedOrgServer struct {
	mu       sync.Mutex
	requests []string // "METHOD path?query"
	refs     []string // the @odata.id of each POST .../$ref
	// internal and external are the sponsors' object ids.
	internal, external []string
	patchStatus        int
	patchBody          string
}

func newDocumentedOrgServer(t *testing.T, s *documentedOrgServer) *graph.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(ts.Close)
	c, err := graph.New(graph.Config{
		Endpoint: ts.URL, Token: graph.StaticToken("test-token"),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		PollInterval: time.Millisecond, ConsistencyTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func graphError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, code, message)
}

func (s *documentedOrgServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
	rest, ok := strings.CutPrefix(r.URL.Path, coPath+"/o1")
	if !ok {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "no such path")
		return
	}
	switch {
	case r.Method == http.MethodGet && rest == "":
		// https://learn.microsoft.com/graph/api/connectedorganization-get?view=graph-rest-1.0 documents
		// no $expand of the sponsor collections; a service that refuses it answers 400.
		if r.URL.Query().Has("$expand") {
			graphError(w, http.StatusBadRequest, "BadRequest", "Expanding 'internalSponsors' is not supported.")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"o1","displayName":"Fabrikam","description":"","state":"configured",`+
			`"identitySources":[{"@odata.type":"#microsoft.graph.azureActiveDirectoryTenant","tenantId":"8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b","displayName":"Fabrikam"}]}`)
	case r.Method == http.MethodPatch && rest == "":
		// https://learn.microsoft.com/graph/api/connectedorganization-update?view=graph-rest-1.0:
		// 202 Accepted with the connectedOrganization in the body.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s.patchStatus)
		_, _ = io.WriteString(w, s.patchBody)
	case r.Method == http.MethodGet && (rest == "/internalSponsors" || rest == "/externalSponsors"):
		// https://learn.microsoft.com/graph/api/connectedorganization-list-internalsponsors?view=graph-rest-1.0
		// and .../connectedorganization-list-externalsponsors: a directoryObject collection, paged.
		sponsors := s.internal
		if rest == "/externalSponsors" {
			sponsors = s.external
		}
		var items []string
		for _, id := range sponsors {
			items = append(items, fmt.Sprintf(`{"@odata.type":"#microsoft.graph.directoryObject","id":%q}`, id))
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("page") == "" && len(items) > 1 {
			next := "http://" + r.Host + r.URL.Path + "?page=2"
			_, _ = fmt.Fprintf(w, `{"value":[%s],"@odata.nextLink":%q}`, items[0], next)
			return
		}
		if r.URL.Query().Get("page") == "2" {
			items = items[1:]
		}
		_, _ = fmt.Fprintf(w, `{"value":[%s]}`, strings.Join(items, ","))
	case r.Method == http.MethodPost && (rest == "/internalSponsors/$ref" || rest == "/externalSponsors/$ref"):
		// https://learn.microsoft.com/graph/api/connectedorganization-post-internalsponsors?view=graph-rest-1.0:
		// "@odata.id" is the full URI of the user or group; 204 No Content.
		var ref map[string]string
		_ = json.Unmarshal(body, &ref)
		s.refs = append(s.refs, ref["@odata.id"])
		known := map[string]string{"u1": "users", "g1": "groups"}
		for id, coll := range known {
			if ref["@odata.id"] == "http://"+r.Host+"/v1.0/"+coll+"/"+id {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		graphError(w, http.StatusNotFound, "Request_ResourceNotFound",
			"Resource does not exist or one of its queried reference-property objects are not present.")
	default:
		graphError(w, http.StatusMethodNotAllowed, "BadRequest", "unexpected "+r.Method)
	}
}

// Refresh and import read the sponsors with the documented list calls, following their pages, and never
// with an undocumented $expand that a real service may refuse with 400.
func TestConnectedOrganizationSponsorsDocumentedReads(t *testing.T) {
	t.Parallel()
	s := &documentedOrgServer{internal: []string{"u1", "g1"}, external: []string{"u2"}}
	c := newDocumentedOrgServer(t, s)
	org, internal, external, err := c.GetConnectedOrganizationWithSponsors(context.Background(), "o1")
	if err != nil {
		t.Fatalf("reading the organization and its sponsors: %v (requests %v)", err, s.requests)
	}
	if org.DisplayName != "Fabrikam" || len(internal) != 2 || internal[0].ID != "u1" || internal[1].ID != "g1" || len(external) != 1 || external[0].ID != "u2" {
		t.Fatalf("org=%+v internal=%v external=%v", org, internal, external)
	}
	for _, r := range s.requests {
		if strings.Contains(r, "expand") {
			t.Errorf("undocumented $expand sent: %s", r)
		}
	}
}

// PATCH answers 202 Accepted with the object (the documented reply), or 204/200: all are success.
func TestConnectedOrganizationUpdateAccepted(t *testing.T) {
	t.Parallel()
	// The response of https://learn.microsoft.com/graph/api/connectedorganization-update?view=graph-rest-1.0.
	documented := `{"id":"006111db-0810-4494-a6df-904d368bd81b","displayName":"Connected organization new name",` +
		`"description":"Connected organization new description","state":"configured"}`
	for _, tc := range []struct {
		status int
		body   string
	}{{http.StatusAccepted, documented}, {http.StatusNoContent, ""}, {http.StatusOK, documented}, {http.StatusAccepted, "accepted"}} {
		s := &documentedOrgServer{patchStatus: tc.status, patchBody: tc.body}
		c := newDocumentedOrgServer(t, s)
		name := "Connected organization new name"
		if err := c.UpdateConnectedOrganization(context.Background(), "o1", graph.ConnectedOrganizationUpdate{DisplayName: &name}); err != nil {
			t.Errorf("PATCH answered %d %q: %v", tc.status, tc.body, err)
		}
	}
}

// A sponsor is linked with the full URI of the user or group, as the reference's examples show, and a
// group is found after the user URI is refused.
func TestConnectedOrganizationSponsorRefURIs(t *testing.T) {
	t.Parallel()
	s := &documentedOrgServer{}
	c := newDocumentedOrgServer(t, s)
	ctx := context.Background()
	if err := c.AddSponsor(ctx, "o1", graph.InternalSponsors, "u1"); err != nil {
		t.Fatalf("adding a user: %v", err)
	}
	if err := c.AddSponsor(ctx, "o1", graph.ExternalSponsors, "g1"); err != nil {
		t.Fatalf("adding a group: %v", err)
	}
	err := c.AddSponsor(ctx, "o1", graph.InternalSponsors, "x1")
	if !graph.IsNotFound(err) || !strings.Contains(err.Error(), "both its user and its group URI") {
		t.Fatalf("an id that is neither: want a 404 naming both URIs, got %v", err)
	}
	var paths []string
	for _, ref := range s.refs {
		_, p, _ := strings.Cut(strings.TrimPrefix(ref, "http://"), "/")
		paths = append(paths, "/"+p)
	}
	want := []string{"/v1.0/users/u1", "/v1.0/users/g1", "/v1.0/groups/g1", "/v1.0/users/x1", "/v1.0/groups/x1"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("@odata.id sent: %v, want %v", paths, want)
	}
}

// A domain that belongs to an Entra tenant comes back as that tenant's source
// (https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0): the reply is
// decoded as Graph holds it, and recognised as the documented rewrite of what was sent.
func TestConnectedOrganizationDomainResolvedToTenant(t *testing.T) {
	t.Parallel()
	c, s := newScriptedClient(t, []scriptedReply{{status: http.StatusCreated, body: `{"id":"35ff48a8-e9d8-4405-8425-0b23694287a4",` +
		`"displayName":"Connected organization name","description":"Connected organization description","state":"proposed",` +
		`"identitySources":[{"@odata.type":"#microsoft.graph.azureActiveDirectoryTenant","displayName":"Example","tenantId":"8E3F1C2A-4B5D-4E6F-9A7B-0C1D2E3F4A5B"}]}`}}, nil)
	sent := graph.IdentitySource{Type: graph.IdentitySourceDomain, DomainName: "example.com", DisplayName: "example.com"}
	org, err := c.CreateConnectedOrganization(context.Background(), graph.ConnectedOrganization{
		DisplayName: "Connected organization name", Description: "Connected organization description", State: "proposed",
		IdentitySources: []graph.IdentitySource{sent},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.bodies[0], `"@odata.type":"#microsoft.graph.domainIdentitySource"`) || !strings.Contains(s.bodies[0], `"domainName":"example.com"`) {
		t.Fatalf("request body %s", s.bodies[0])
	}
	held := org.IdentitySources[0]
	if held.Type != graph.IdentitySourceTenant || held.TenantID != "8E3F1C2A-4B5D-4E6F-9A7B-0C1D2E3F4A5B" || held.DisplayName != "Example" {
		t.Fatalf("held %+v", held)
	}
	if graph.SameIdentitySource(sent, held) || !graph.ResolvesDomainToTenant(sent, held) {
		t.Fatalf("the tenant source must be the documented rewrite of the domain, not the same source")
	}
	other := graph.IdentitySource{Type: graph.IdentitySourceFederation, DomainName: "example.com", IssuerURI: "https://sts.example.com"}
	if graph.ResolvesDomainToTenant(other, held) || graph.ResolvesDomainToTenant(held, sent) {
		t.Fatal("only a domainIdentitySource is documented to become a tenant source")
	}
	for _, tc := range []struct {
		a, b graph.IdentitySource
		same bool
	}{
		{graph.IdentitySource{Type: graph.IdentitySourceDomain, DomainName: "Fabrikam.COM.", DisplayName: "x"}, graph.IdentitySource{Type: graph.IdentitySourceDomain, DomainName: "fabrikam.com", DisplayName: "y"}, true},
		{graph.IdentitySource{Type: graph.IdentitySourceTenant, TenantID: "8E3F1C2A-4B5D-4E6F-9A7B-0C1D2E3F4A5B"}, held, true},
		{graph.IdentitySource{Type: graph.IdentitySourceTenant, TenantID: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}, held, false},
		{graph.IdentitySource{Type: graph.IdentitySourceDomain, DomainName: "fabrikam.com"}, graph.IdentitySource{Type: graph.IdentitySourceDomain, DomainName: "contoso.com"}, false},
	} {
		if got := graph.SameIdentitySource(tc.a, tc.b); got != tc.same {
			t.Errorf("SameIdentitySource(%+v, %+v) = %v", tc.a, tc.b, got)
		}
	}
}

// The members the v1.0 metadata lists beyond what a configuration may write (unknownFutureValue) and an
// identity source type this client does not know are read without error.
func TestConnectedOrganizationReadsEveryMember(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, []scriptedReply{{status: http.StatusOK, body: `{"id":"o1","displayName":"F","description":"","state":"unknownFutureValue",` +
		`"identitySources":[{"@odata.type":"#microsoft.graph.socialIdentitySource","displayName":"x","socialIdentitySourceType":"unknownFutureValue"},` +
		`{"@odata.type":"#microsoft.graph.crossCloudAzureActiveDirectoryTenant","tenantId":"t","cloudInstance":"microsoftonline.us"},` +
		`{"@odata.type":"#microsoft.graph.someFutureIdentitySource","displayName":"future"}]}`}}, nil)
	org, err := c.GetConnectedOrganization(context.Background(), "o1")
	if err != nil {
		t.Fatal(err)
	}
	s := org.IdentitySources
	if org.State != "unknownFutureValue" || len(s) != 3 || s[0].SocialIdentitySourceType != "unknownFutureValue" ||
		s[1].Type != graph.IdentitySourceCrossCloudTenant || s[1].CloudInstance != "microsoftonline.us" || s[2].Type != "someFutureIdentitySource" {
		t.Fatalf("%+v", org)
	}
}

// Against the local API: the documented reads give the organization and its sponsors.
func TestConnectedOrganizationSponsorsFromEmulator(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	org, err := c.CreateConnectedOrganization(ctx, graph.ConnectedOrganization{
		DisplayName: "Fabrikam", IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: "fabrikam.com", DisplayName: "Fabrikam"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{emulator.SeedGuestBenID, emulator.SeedGroupSalesID} {
		if err := c.AddSponsor(ctx, org.ID, graph.ExternalSponsors, id); err != nil {
			t.Fatal(err)
		}
	}
	got, internal, external, err := c.GetConnectedOrganizationWithSponsors(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != "Fabrikam" || len(internal) != 0 || len(external) != 2 {
		t.Fatalf("org=%+v internal=%v external=%v", got, internal, external)
	}
}

// A refresh waits one round trip for the two sponsor lists: both are sent once the organization is read.
// An organization that is gone costs its one 404, not three.
func TestConnectedOrganizationSponsorListsReadTogether(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var requests []string
	var open atomic.Int32
	together := make(chan struct{})
	var once sync.Once
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == coPath+"/o1":
			_, _ = io.WriteString(w, `{"id":"o1","displayName":"Fabrikam","description":"","state":"configured","identitySources":[]}`)
		case strings.HasPrefix(r.URL.Path, coPath+"/o1/") && strings.HasSuffix(r.URL.Path, "Sponsors"):
			if open.Add(1) == 2 {
				once.Do(func() { close(together) })
			}
			// Held open until the other list arrives; a client that waits for this answer before sending
			// the other list meets the timeout instead.
			select {
			case <-together:
			case <-time.After(5 * time.Second):
			}
			open.Add(-1)
			_, _ = io.WriteString(w, `{"value":[]}`)
		default:
			graphError(w, http.StatusNotFound, "ResourceNotFound", "no such connected organization")
		}
	}))
	t.Cleanup(ts.Close)
	c, err := graph.New(graph.Config{Endpoint: ts.URL, Token: graph.StaticToken("test-token"),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, PollInterval: time.Millisecond, ConsistencyTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, _, _, err := c.GetConnectedOrganizationWithSponsors(ctx, "o1"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-together:
	default:
		t.Fatalf("the sponsor lists were read one after the other: %v", requests)
	}
	mu.Lock()
	requests = nil
	mu.Unlock()
	if _, _, _, err := c.GetConnectedOrganizationWithSponsors(ctx, "o2"); !graph.IsNotFound(err) {
		t.Fatalf("want a 404 for a deleted organization, got %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requests) != 1 {
		t.Fatalf("a deleted organization cost %d requests, want 1: %v", len(requests), requests)
	}
}
