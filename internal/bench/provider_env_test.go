package bench

import (
	"reflect"
	"strings"
	"testing"
)

// A comparison run may change a behaviour setting, never the sign-in or the Graph the provider calls: the
// bench would otherwise measure, or write to, another tenant.
func TestParseProviderEnv(t *testing.T) {
	got, err := ParseProviderEnv(" ENTRAGOV_PREVENT_DUPLICATE_NAMES=false, ENTRAGOV_BULK_REFRESH=false ,")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ENTRAGOV_PREVENT_DUPLICATE_NAMES=false", "ENTRAGOV_BULK_REFRESH=false"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for in, wantErr := range map[string]string{
		"ENTRAGOV_GRAPH_ENDPOINT=https://graph.microsoft.com": "only ENTRAGOV_PREVENT_DUPLICATE_NAMES and ENTRAGOV_BULK_REFRESH",
		"ENTRAGOV_CLIENT_SECRET=x":                            "only ENTRAGOV_PREVENT_DUPLICATE_NAMES",
		"ENTRAGOV_BULK_REFRESH":                               "want NAME=value",
		"ENTRAGOV_BULK_REFRESH=":                              "want NAME=value",
	} {
		if _, err := ParseProviderEnv(in); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("ParseProviderEnv(%q): %v, want an error containing %q", in, err, wantErr)
		}
	}
}
