package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/conformance"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func TestExpandSubstitutesSeedsAndStepFields(t *testing.T) {
	t.Parallel()
	v := &conformance.Vars{
		Plain: map[string]string{"SeedUserAdeleID": "5eed-adele"},
		Steps: map[string]any{
			"catalog": decode(t, `{"id":"cat-1","value":[{"id":"r0","roles":[{"originId":"Member_g"}]}],"n":3,"ok":true}`),
		},
	}
	cases := []struct{ in, want string }{
		{"/catalogs/${catalog.id}/resources", "/catalogs/cat-1/resources"},
		{"${SeedUserAdeleID}", "5eed-adele"},
		{"${catalog.value.0.roles.0.originId}_${catalog.id}", "Member_g_cat-1"},
		{"${catalog.n}/${catalog.ok}", "3/true"},
		{"no references", "no references"},
	}
	for _, c := range cases {
		got, err := v.Expand(c.in)
		if err != nil || got != c.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"${nobody}", "${catalog.missing}", "${catalog.value}", "${catalog}"} {
		if _, err := v.Expand(bad); err == nil {
			t.Errorf("Expand(%q) succeeded; want an error", bad)
		}
	}
	body, err := v.ExpandJSON(decode(t, `{"accessPackage":{"id":"${catalog.id}"},"list":["${SeedUserAdeleID}",1,null],"${catalog.id}":true}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(body)
	if want := `{"${catalog.id}":true,"accessPackage":{"id":"cat-1"},"list":["5eed-adele",1,null]}`; string(b) != want {
		t.Errorf("ExpandJSON = %s; want %s (values expanded, keys kept)", b, want)
	}
}

func TestLookupKeepsDottedKeysWhole(t *testing.T) {
	t.Parallel()
	doc := decode(t, `{"@odata.type":"#x","identitySources":[{"@odata.type":"#y"}],"a":{"b":[1,2]}}`)
	for path, want := range map[string]any{
		"@odata.type":                   "#x",
		"identitySources.0.@odata.type": "#y",
		"a.b.1":                         2.0,
	} {
		got, ok := conformance.Lookup(doc, path)
		if !ok || got != want {
			t.Errorf("Lookup(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	for _, path := range []string{"missing", "a.b.2", "a.b.x", "@odata"} {
		if _, ok := conformance.Lookup(doc, path); ok {
			t.Errorf("Lookup(%q) found a value; want none", path)
		}
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	doc := `{"id":"doc-id","displayName":"New policy","state":"published","count":1,"isHidden":false,"createdDateTime":"2021-01-01T00:00:00Z",
		"expiration":{"type":"noExpiration","endDateTime":null},"stages":[{"userId":"doc-user","@odata.type":"#microsoft.graph.singleUser"}]}`
	req := `{"displayName":"New Policy","isHidden":"false","stages":[{"userId":"real-user","@odata.type":"microsoft.graph.singleUser"}]}`
	good := `{"id":"real-id","displayName":"New Policy","state":"published","count":7,"isHidden":false,"createdDateTime":"2026-12-06T18:00:00Z","extra":1,
		"expiration":{"type":"afterDuration","endDateTime":"2027-01-01T00:00:00Z"},"stages":[{"userId":"other"},{"userId":"real-user","@odata.type":"#microsoft.graph.singleUser"}]}`
	if d := conformance.Compare(decode(t, doc), decode(t, good), decode(t, req), []string{"state"}, nil); len(d) != 0 {
		t.Fatalf("a matching answer differs: %v", d)
	}
	cases := []struct {
		name, answer string
		exact, skip  []string
		want         string
	}{
		{"missing field", `{"id":"x","displayName":"New Policy","state":"published","count":1,"isHidden":false,"createdDateTime":"t","stages":[{"userId":"real-user"}]}`,
			nil, nil, "expiration: documented, missing from the answer"},
		{"wrong type", strings.Replace(good, `"count":7`, `"count":"7"`, 1), nil, nil, "count: documented number, answered string"},
		{"null where a string is documented", strings.Replace(good, `"state":"published"`, `"state":null`, 1), nil, nil, "state: documented string, answered null"},
		{"value the request set", strings.Replace(good, `"displayName":"New Policy"`, `"displayName":"Other"`, 1), nil, nil, `displayName: the request set "New Policy", answered "Other"`},
		{"boolean sent as a string", strings.Replace(good, `"isHidden":false`, `"isHidden":true`, 1), nil, nil, `isHidden: the request set "false", answered true`},
		{"exact value", strings.Replace(good, `"state":"published"`, `"state":"unpublished"`, 1), []string{"state"}, nil, `state: documented "published", answered "unpublished"`},
		{"array element without counterpart", strings.Replace(good, `{"userId":"real-user","@odata.type":"#microsoft.graph.singleUser"}`, `{"userId":"nobody"}`, 1), nil, nil, "stages.0: no answered element matches"},
		{"empty array", strings.Replace(good, `"stages":[{"userId":"other"},{"userId":"real-user","@odata.type":"#microsoft.graph.singleUser"}]`, `"stages":[]`, 1), nil, nil, "stages.0: documented element, the answered array is empty"},
		{"object where an array is documented", strings.Replace(good, `"stages":[{"userId":"other"},{"userId":"real-user","@odata.type":"#microsoft.graph.singleUser"}]`, `"stages":{}`, 1), nil, nil, "stages: documented array, answered object"},
	}
	for _, c := range cases {
		d := conformance.Compare(decode(t, doc), decode(t, c.answer), decode(t, req), c.exact, c.skip)
		if !strings.Contains(strings.Join(d, "\n"), c.want) {
			t.Errorf("%s: differences %q do not report %q", c.name, d, c.want)
		}
	}
	// A skipped path is not required; the rest still is.
	missing := `{"id":"x","displayName":"New Policy","state":"published","count":1,"isHidden":false,"createdDateTime":"t","stages":[{"userId":"real-user","@odata.type":"#microsoft.graph.singleUser"}]}`
	if d := conformance.Compare(decode(t, doc), decode(t, missing), decode(t, req), nil, []string{"expiration"}); len(d) != 0 {
		t.Errorf("skipped path still reported: %v", d)
	}
	if d := conformance.Compare(decode(t, doc), decode(t, missing), decode(t, req), nil, []string{"state"}); len(d) != 1 {
		t.Errorf("skipping another path hid the missing one: %v", d)
	}
	// A skipped array element is not required either, also when the answered array is empty.
	empty := strings.Replace(good, `"stages":[{"userId":"other"},{"userId":"real-user","@odata.type":"#microsoft.graph.singleUser"}]`, `"stages":[]`, 1)
	if d := conformance.Compare(decode(t, doc), decode(t, empty), decode(t, req), nil, []string{"stages.0"}); len(d) != 0 {
		t.Errorf("skipped element of an empty array still reported: %v", d)
	}
}

func TestParseRejectsMalformedCorpus(t *testing.T) {
	t.Parallel()
	const page = `"page":"https://learn.microsoft.com/en-us/graph/api/accesspackage-get?view=graph-rest-1.0","source":"microsoftgraph/microsoft-graph-docs-contrib/api-reference/v1.0/api/accesspackage-get.md@0713c450496046d1f357f9afae7a914ac6ab4277"`
	const ep = `"endpoint":"GET /identityGovernance/entitlementManagement/accessPackages/{accessPackageId}","method":"GET","path":"/x","status":200`
	ok := `{` + page + `,"cases":[{"example":"get_accesspackage",` + ep + `,"response":{"id":"a","displayName":"b"},"exact":["displayName"],"unchecked":{"id":"why"}}]}`
	if _, err := conformance.Parse([]byte(ok)); err != nil {
		t.Fatalf("a well-formed file is refused: %v", err)
	}
	bad := map[string]string{
		"unknown field":         strings.Replace(ok, `"exact"`, `"exakt"`, 1),
		"not a v1.0 page":       strings.Replace(ok, "view=graph-rest-1.0", "view=graph-rest-beta", 1),
		"endpoint not provided": strings.Replace(ok, "{accessPackageId}", "{id}", 1),
		"method mismatch":       strings.Replace(ok, `"method":"GET"`, `"method":"POST"`, 1),
		"no status":             strings.Replace(ok, `,"status":200`, ``, 1),
		"exact not documented":  strings.Replace(ok, `"exact":["displayName"]`, `"exact":["state"]`, 1),
		"unchecked no reason":   strings.Replace(ok, `"unchecked":{"id":"why"}`, `"unchecked":{"id":""}`, 1),
		"valuesFrom no step":    strings.Replace(ok, `"exact"`, `"valuesFrom":"catalog","exact"`, 1),
		"duplicate example":     strings.Replace(ok, `}]}`, `},{"example":"get_accesspackage",`+ep+`}]}`, 1),
		"no cases":              `{` + page + `,"cases":[]}`,
	}
	for name, text := range bad {
		if _, err := conformance.Parse([]byte(text)); err == nil {
			t.Errorf("%s: Parse accepted %s", name, text)
		}
	}
}

// scripted answers each request with the next reply and records what it received.
type scripted struct {
	mu      sync.Mutex
	replies []reply
	got     []string
}

type reply struct {
	status int
	body   string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	s.got = append(s.got, fmt.Sprintf("%s %s %s %s", r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"), b))
	if len(s.replies) == 0 {
		http.Error(w, "no reply scripted", http.StatusTeapot)
		return
	}
	rp := s.replies[0]
	s.replies = s.replies[1:]
	if rp.body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rp.status)
	_, _ = io.WriteString(w, rp.body)
}

func replayScripted(t *testing.T, c *conformance.Case, replies ...reply) ([]string, *scripted, error) {
	t.Helper()
	s := &scripted{replies: replies}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	diffs, err := conformance.Replay(context.Background(), conformance.Target{
		Base: ts.URL, Client: ts.Client(), Token: "tok", Vars: map[string]string{"SeedGroupSalesID": "g-1"},
	}, c)
	return diffs, s, err
}

func TestReplay(t *testing.T) {
	t.Parallel()
	mk := func() *conformance.Case {
		return &conformance.Case{
			Example: "x",
			Setup:   []conformance.Step{{Name: "catalog", Method: "POST", Path: "/catalogs", Body: map[string]any{"displayName": "C"}, Status: 201}},
			Method:  "POST", Path: "/catalogs/${catalog.id}/things",
			Body:     map[string]any{"displayName": "T", "group": "${SeedGroupSalesID}"},
			Status:   201,
			Response: map[string]any{"id": "doc", "displayName": "T", "group": "doc-group"},
		}
	}

	diffs, s, err := replayScripted(t, mk(), reply{201, `{"id":"c-9"}`}, reply{201, `{"id":"t-1","displayName":"T","group":"g-1"}`})
	if err != nil || len(diffs) != 0 {
		t.Fatalf("matching answers: %v, %v", diffs, err)
	}
	if want := `POST /v1.0/catalogs/c-9/things Bearer tok {"displayName":"T","group":"g-1"}`; len(s.got) != 2 || s.got[1] != want {
		t.Errorf("sent %q; want the second request %q", s.got, want)
	}

	diffs, _, err = replayScripted(t, mk(), reply{201, `{"id":"c-9"}`}, reply{400, `{"error":{"code":"BadRequest","message":"no"}}`})
	if err != nil || len(diffs) != 1 || !strings.Contains(diffs[0], "status 400, documented 201 (BadRequest: no)") {
		t.Errorf("wrong status: %v, %v", diffs, err)
	}

	diffs, _, err = replayScripted(t, mk(), reply{201, `{"id":"c-9"}`}, reply{201, `{"id":"t-1","displayName":"T"}`})
	if err != nil || len(diffs) != 1 || !strings.Contains(diffs[0], "group: documented, missing") {
		t.Errorf("missing field: %v, %v", diffs, err)
	}

	diffs, _, err = replayScripted(t, mk(), reply{201, `{"id":"c-9"}`}, reply{204, ``})
	if err != nil || len(diffs) != 2 || !strings.Contains(diffs[1], "documented a response body, answered none") {
		t.Errorf("no body: %v, %v", diffs, err)
	}

	_, _, err = replayScripted(t, mk(), reply{409, `{"error":{"code":"Conflict","message":"exists"}}`})
	var se *conformance.SetupError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "status 409, want 201 (Conflict: exists)") {
		t.Errorf("refused setup: %v", err)
	}

	// References in the documented response are expanded: an exact id the setup made.
	exact := mk()
	exact.Response = map[string]any{"catalogId": "${catalog.id}"}
	exact.Exact = []string{"catalogId"}
	if diffs, _, err = replayScripted(t, exact, reply{201, `{"id":"c-9"}`}, reply{201, `{"catalogId":"c-9"}`}); err != nil || len(diffs) != 0 {
		t.Errorf("expanded exact value: %v, %v", diffs, err)
	}
	if diffs, _, err = replayScripted(t, exact, reply{201, `{"id":"c-9"}`}, reply{201, `{"catalogId":"c-8"}`}); err != nil || len(diffs) != 1 || !strings.Contains(diffs[0], `documented "c-9", answered "c-8"`) {
		t.Errorf("wrong exact value: %v, %v", diffs, err)
	}

	bad := mk()
	bad.Path = "/catalogs/${nothing.id}"
	_, _, err = replayScripted(t, bad, reply{201, `{"id":"c-9"}`})
	if err == nil || errors.As(err, &se) {
		t.Errorf("unknown reference: %v; want an error that is not a SetupError", err)
	}
}

func TestJudgeNeverLetsAMarkerHideAPass(t *testing.T) {
	t.Parallel()
	plain := &conformance.Case{}
	marked := &conformance.Case{Divergence: "known"}
	setupErr := &conformance.SetupError{Err: errors.New("refused")}
	harnessErr := errors.New("unknown reference")
	cases := []struct {
		c     *conformance.Case
		diffs []string
		err   error
		want  conformance.Outcome
	}{
		{plain, nil, nil, conformance.Pass},
		{plain, []string{"d"}, nil, conformance.Fail},
		{plain, nil, setupErr, conformance.Fail},
		{marked, []string{"d"}, nil, conformance.KnownDivergence},
		{marked, nil, setupErr, conformance.KnownDivergence},
		{marked, nil, nil, conformance.StaleMarker},
		{marked, nil, harnessErr, conformance.Fail},
		{plain, nil, harnessErr, conformance.Fail},
	}
	for i, c := range cases {
		if got := conformance.Judge(c.c, c.diffs, c.err); got != c.want {
			t.Errorf("case %d: Judge = %v; want %v", i, got, c.want)
		}
	}
}
