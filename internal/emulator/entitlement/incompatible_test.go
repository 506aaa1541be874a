package entitlement_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

func TestIncompatibleAccessPackages(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	a, b, c := govPackage(e, cat, "A"), govPackage(e, cat, "B"), govPackage(e, cat, "C")
	ref := func(from, to string) (*http.Response, map[string]any) {
		return e.Do("POST", emulatortest.EMPath+"/accessPackages/"+from+"/incompatibleAccessPackages/$ref",
			map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/accessPackages/" + to})
	}
	if resp, body := ref(a, b); resp.StatusCode != 204 || body != nil {
		t.Fatalf("add %d %v", resp.StatusCode, body)
	}
	// Any host, another case, the emulator's own base URL: all name the same package.
	resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages/$ref",
		map[string]any{"@odata.id": e.Base + "/v1.0/identitygovernance/entitlementmanagement/ACCESSPACKAGES/" + strings.ToUpper(c)})
	if resp.StatusCode != 204 {
		t.Fatalf("add c %d %v", resp.StatusCode, body)
	}
	if resp, body := ref(a, b); resp.StatusCode != 204 {
		t.Errorf("duplicate %d %v", resp.StatusCode, body)
	}
	resp, body = ref(a, a)
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = ref(a, uuid.NewString())
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = ref(uuid.NewString(), b)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = e.Do("POST", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages/$ref", map[string]any{"id": b})
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = e.Do("POST", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages/$ref",
		map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/groups/" + b})
	govWantErr(t, resp, body, 400, "BadRequest")

	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages", nil)
	if got := strings.Join(names(t, body), ","); got != "B,C" {
		t.Errorf("incompatible %q", got)
	}
	emulatortest.NoInternal(t, body)
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+b+"/accessPackagesIncompatibleWith", nil)
	if got := strings.Join(names(t, body), ","); got != "A" {
		t.Errorf("reverse %q", got)
	}
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+b+"/incompatibleAccessPackages", nil)
	if got := names(t, body); len(got) != 0 {
		t.Errorf("b has links %v", got)
	}

	if resp, body := e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages/"+b+"/$ref", nil); resp.StatusCode != 204 || body != nil {
		t.Fatalf("remove %d %v", resp.StatusCode, body)
	}
	resp, body = e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages/"+b+"/$ref", nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages", nil)
	if got := strings.Join(names(t, body), ","); got != "C" {
		t.Errorf("after remove %q", got)
	}

	// Deleting C removes the link of A to it.
	if resp, _ := e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+c, nil); resp.StatusCode != 204 {
		t.Fatal("delete c")
	}
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"/incompatibleAccessPackages", nil)
	if got := names(t, body); len(got) != 0 {
		t.Errorf("link to a deleted package %v", got)
	}
	if obj, _ := e.Srv.GetObject(entitlement.AccessPackages, a); len(wire.StrList(obj[entitlement.IfIncompatiblePackages])) != 0 {
		t.Errorf("stored links %v", obj[entitlement.IfIncompatiblePackages])
	}
}

func TestIncompatibleGroups(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	a, b := govPackage(e, cat, "A"), govPackage(e, cat, "B")
	g1, g2 := govGroup(e, "Contractors"), govGroup(e, "Auditors")
	path := emulatortest.EMPath + "/accessPackages/" + a + "/incompatibleGroups"
	for _, g := range []string{g1, g2, g1} {
		resp, body := e.Do("POST", path+"/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/groups/" + g})
		if resp.StatusCode != 204 {
			t.Fatalf("add %d %v", resp.StatusCode, body)
		}
	}
	// directoryObjects references name groups too.
	if resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages/"+b+"/incompatibleGroups/$ref",
		map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + g2}); resp.StatusCode != 204 {
		t.Fatalf("directoryObjects ref %d %v", resp.StatusCode, body)
	}
	resp, body := e.Do("POST", path+"/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/groups/" + uuid.NewString()})
	if resp.StatusCode != 404 {
		t.Errorf("unknown group %d %v", resp.StatusCode, body)
	}
	resp, body = e.Do("POST", path+"/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/accessPackages/" + b})
	govWantErr(t, resp, body, 400, "BadRequest")

	resp, body = e.Do("GET", path, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	if got := strings.Join(names(t, body), ","); got != "Contractors,Auditors" {
		t.Errorf("groups %q", got)
	}
	if l := govList(t, body); l[0]["id"] != g1 || l[0]["securityEnabled"] != true {
		t.Errorf("group object %v", l[0])
	}
	_, body = e.Do("GET", path+"?$select=displayName", nil)
	if l := govList(t, body); l[0]["securityEnabled"] != nil || l[0]["displayName"] != "Contractors" {
		t.Errorf("select %v", l[0])
	}

	if resp, body := e.Do("DELETE", path+"/"+g1+"/$ref", nil); resp.StatusCode != 204 {
		t.Fatalf("remove %d %v", resp.StatusCode, body)
	}
	resp, body = e.Do("DELETE", path+"/"+g1+"/$ref", nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	_, body = e.Do("GET", path, nil)
	if got := strings.Join(names(t, body), ","); got != "Auditors" {
		t.Errorf("after remove %q", got)
	}
	// A group that disappears from the directory drops out of the list.
	if err := e.Srv.DeleteObject("groups", g2); err != nil {
		t.Fatal(err)
	}
	_, body = e.Do("GET", path, nil)
	if got := names(t, body); len(got) != 0 {
		t.Errorf("deleted group listed %v", got)
	}
}
