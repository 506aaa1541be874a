package framework

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The look-up before a create: a parent Graph cannot read yet holds nothing, any other failure stops the
// create with Graph's error, and a name already taken names the import block.
func TestCheckNoDuplicate(t *testing.T) {
	t.Parallel()
	client, err := graph.New(graph.Config{Endpoint: "https://graph.microsoft.com", Token: graph.StaticToken("t"), PreventDuplicateNames: true})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		found   []string
		lookErr error
		proceed bool
		summary string
	}{
		{"nothing holds the name", nil, nil, true, ""},
		{"the parent is not readable yet", nil, &graph.Error{Status: http.StatusNotFound, Code: "ResourceNotFound", Message: "catalog not found"}, true, ""},
		{"the look-up fails", nil, &graph.Error{Status: http.StatusForbidden, Code: "Authorization_RequestDenied", Message: "denied"}, false, "the look-up of"},
		{"the look-up cannot reach Graph", nil, errors.New("connection refused"), false, "the look-up of"},
		{"the name is taken", []string{"p1"}, nil, false, "An object with this name already exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			proceed := CheckNoDuplicate(context.Background(), client, &diags, NamedCreate{
				ResourceType: "entragov_access_package", Kind: "access package", What: `an access package named "Sales" in catalog c1`,
				Find: func(context.Context) ([]string, error) { return tc.found, tc.lookErr },
			})
			if proceed != tc.proceed {
				t.Fatalf("proceed = %v, want %v (%v)", proceed, tc.proceed, diags)
			}
			if tc.proceed != !diags.HasError() {
				t.Fatalf("an error exactly when the create stops: %v", diags)
			}
			if tc.summary != "" && !strings.Contains(diags[0].Summary(), tc.summary) {
				t.Fatalf("summary %q, want it to contain %q", diags[0].Summary(), tc.summary)
			}
		})
	}
}

// A create refused because the object "already" exists: Graph's list may not show that object yet (it was
// made moments earlier by a killed apply), so the look-up is repeated within refusedWindow; any other
// refusal is not waited on, so a plain bad request is reported at once.
func TestListedAfterRefusal(t *testing.T) {
	var pauses []time.Duration
	saved := pauseFor
	pauseFor = func(_ context.Context, d time.Duration) bool { pauses = append(pauses, d); return true }
	t.Cleanup(func() { pauseFor = saved })

	already := &graph.Error{Status: http.StatusBadRequest, Code: "BadRequest", Message: "The resource is already in the catalog."}
	invalid := &graph.Error{Status: http.StatusBadRequest, Code: "BadRequest", Message: "Invalid originId."}
	cases := []struct {
		name       string
		err        error
		listedFrom int // the look-up that first finds the object (0: never)
		findErr    error
		listed     bool
		looks      int
	}{
		{"listed at once", already, 1, nil, true, 1},
		{"listed on the third look", already, 3, nil, true, 3},
		{"never listed: gives up within the window", already, 0, nil, false, 6},
		{"the look-up fails", already, 0, &graph.Error{Status: http.StatusForbidden, Message: "denied"}, false, 1},
		{"another bad request is not waited on", invalid, 1, nil, false, 0},
		{"a server error is not waited on", &graph.Error{Status: http.StatusServiceUnavailable, Message: "already busy"}, 1, nil, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pauses = nil
			looks := 0
			msg, listed := ListedAfterRefusal(context.Background(), tc.err, func(context.Context) (bool, error) {
				looks++
				return tc.listedFrom > 0 && looks >= tc.listedFrom, tc.findErr
			})
			if listed != tc.listed || looks != tc.looks {
				t.Fatalf("listed = %v after %d looks, want %v after %d", listed, looks, tc.listed, tc.looks)
			}
			if listed && msg != already.Message {
				t.Fatalf("message %q, want Graph's %q", msg, already.Message)
			}
			var total time.Duration
			for _, p := range pauses {
				total += p
			}
			if total > refusedWindow {
				t.Fatalf("paused %v in all, more than the %v window", total, refusedWindow)
			}
		})
	}
}

// PresentAfterRefusal gives any refusal one look, so an object an earlier apply left behind is named
// even when Graph's message does not say "already".
func TestPresentAfterRefusal(t *testing.T) {
	saved := pauseFor
	pauseFor = func(context.Context, time.Duration) bool { return true }
	t.Cleanup(func() { pauseFor = saved })
	invalid := &graph.Error{Status: http.StatusBadRequest, Code: "BadRequest", Message: "Request is invalid."}
	if !PresentAfterRefusal(context.Background(), invalid, func(context.Context) (bool, error) { return true, nil }) {
		t.Fatal("an object that exists was not reported")
	}
	if PresentAfterRefusal(context.Background(), invalid, func(context.Context) (bool, error) { return false, nil }) {
		t.Fatal("an object that does not exist was reported")
	}
}

// Found: a 404 means "not there" without an error; any other error is kept.
func TestFound(t *testing.T) {
	denied := &graph.Error{Status: http.StatusForbidden, Message: "denied"}
	for _, tc := range []struct {
		err   error
		found bool
		keep  error
	}{
		{nil, true, nil},
		{&graph.Error{Status: http.StatusNotFound, Message: "gone"}, false, nil},
		{denied, false, denied},
	} {
		found, err := Found(tc.err)
		if found != tc.found || !errors.Is(err, tc.keep) || (tc.keep == nil && err != nil) {
			t.Errorf("Found(%v) = %v, %v; want %v, %v", tc.err, found, err, tc.found, tc.keep)
		}
	}
}
