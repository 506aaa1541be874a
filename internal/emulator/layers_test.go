package emulator

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/entragov/terraform-provider-entragov/internal/emulator"

// layers is the import rule of the emulator's packages: each may import only the
// emulator packages listed for it, which all sit below it (ARCHITECTURE.md). The top
// package "" (the server) wires everything; emulatortest and the command sit above it.
var layers = map[string][]string{
	"store":       {},
	"wire":        {},
	"odata":       {"store", "wire"},
	"route":       {"store", "wire", "odata"},
	"identity":    {"store", "wire", "route"},
	"directory":   {"store", "wire", "odata", "route", "identity"},
	"entitlement": {"store", "wire", "odata", "route", "identity", "directory"},
	"lifecycle":   {"store", "wire", "odata", "route", "identity", "directory", "entitlement"},
	"crosstenant": {"store", "wire", "odata", "route"},
	// policies (tenant policies) needs no other area.
	"policies": {"store", "wire", "odata", "route"},
	// reviews reviews directory members and access package assignments, and removes them.
	"reviews": {"store", "wire", "odata", "route", "identity", "directory", "entitlement"},
	// beta reaches v1.0 only through the router, never through entitlement.
	"beta": {"wire", "odata", "route"},
	// normalise rewrites answers; it knows the metadata, not the areas.
	"normalise":             {"store", "wire", "odata", "route"},
	"":                      {"store", "wire", "odata", "route", "identity", "directory", "entitlement", "lifecycle", "crosstenant", "policies", "reviews", "beta", "normalise"},
	"emulatortest":          {"", "store", "wire", "odata", "route", "identity", "directory", "entitlement", "lifecycle", "crosstenant", "policies", "reviews", "beta"},
	"cmd/entragov-emulator": {""},
}

// TestPackageLayers fails when a package of the emulator imports one it may not (one
// above it, or a sibling area), or when a package is missing from the rule table.
// Test files are not checked: external test packages may use the whole server.
func TestPackageLayers(t *testing.T) {
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		if pkg == "." {
			pkg = ""
		}
		allowed, ok := layers[pkg]
		if !ok {
			t.Errorf("package %q (%s) is not in the layer table of layers_test.go", pkg, path)
			return nil
		}
		seen[pkg] = true
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != modulePath && !strings.HasPrefix(p, modulePath+"/") {
				if strings.HasPrefix(p, "github.com/entragov/terraform-provider-entragov/") {
					t.Errorf("%s imports %s: the emulator imports no other package of the project", path, p)
				}
				continue
			}
			target := strings.TrimPrefix(strings.TrimPrefix(p, modulePath), "/")
			if !slices.Contains(allowed, target) {
				t.Errorf("%s imports %q, which package %q may not import (allowed: %q)", path, target, pkg, allowed)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range layers {
		if !seen[pkg] {
			t.Errorf("layer table names %q, which has no Go files", pkg)
		}
	}
}
