package acctest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// acceptancePackages are the directories whose tests start local APIs with NewEmulator.
var acceptancePackages = []string{"../provider", "../service/directory", "../service/entitlement", "../service/lifecycle", "../service/reviews"}

// TestAcceptanceTestsDeclareTheirNeeds keeps live mode honest: a test that reaches the local API's
// control surface (Server, GraphRequests), its seeded directory (emulator.Seed*, the seeded groups and
// users looked up by name) or its built-in app (emulator.Default*, the azuread stand-in) must say so in its
// NewEmulator call, or live mode would run it against a
// tenant that cannot serve it and fail instead of skipping.
func TestAcceptanceTestsDeclareTheirNeeds(t *testing.T) {
	var problems []string
	for _, dir := range acceptancePackages {
		problems = append(problems, undeclaredNeeds(t, dir)...)
	}
	if len(problems) > 0 {
		t.Fatalf("%d tests do not declare what they need from the local API (pass it to NewEmulator):\n%s",
			len(problems), strings.Join(problems, "\n"))
	}
}

// The checker itself must catch a test that uses the control surface without declaring it, one that
// reaches it through a helper, and a seeded directory name; and must accept declared needs.
func TestUndeclaredNeedsFindsWhatTestsUse(t *testing.T) {
	dir := t.TempDir()
	src := `package x_test

import (
	"testing"
	"example/acctest"
	"example/emulator"
)

func TestDirect(t *testing.T) {
	e := acctest.NewEmulator(t)
	_ = e.Server.DeleteObject("catalogs", "1")
}

func TestThroughHelper(t *testing.T) {
	e := acctest.NewEmulator(t)
	drift(e)
}

func drift(e *acctest.Emulator) { _ = e.GraphRequests() }

func TestSeeded(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	_ = e.Config(config)
	_ = emulator.SeedGroupSalesID
}

const config = ` + "`" + `data "entragov_group" "x" {}` + "`" + `

func TestDeclared(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	_ = e.Server
	_ = config
}

func TestPlain(t *testing.T) {
	e := acctest.NewEmulator(t)
	_ = e.Config("")
}
`
	if err := os.WriteFile(filepath.Join(dir, "x_test.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	got := undeclaredNeeds(t, dir)
	want := []string{"TestDirect: NeedsControl", "TestSeeded: NeedsSeededDirectory", "TestThroughHelper: NeedsControl"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// funcFacts is what one function of a test package uses directly.
type funcFacts struct {
	needs    map[string]bool // "NeedsControl", "NeedsSeededDirectory"
	declared map[string]bool // needs passed to NewEmulator in this function
	starts   []string        // positions of NewEmulator calls
	calls    map[string]bool // package functions and methods (by name) and package-level values it refers to
}

// undeclaredNeeds lists, for the tests of one package directory, the needs they reach but do not declare.
func undeclaredNeeds(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	facts := map[string]*funcFacts{}
	var tests []string
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				merge(facts, d.Name.Name, collectFacts(fset, d))
				if strings.HasPrefix(d.Name.Name, "Test") && d.Recv == nil {
					tests = append(tests, d.Name.Name)
				}
			case *ast.GenDecl:
				// Package-level values (configurations, fixtures) count as what refers to them.
				for _, spec := range d.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						for _, name := range vs.Names {
							merge(facts, name.Name, collectFacts(fset, vs))
						}
					}
				}
			}
		}
	}
	var problems []string
	for _, test := range tests {
		needs, declared, starts := map[string]bool{}, map[string]bool{}, []string(nil)
		seen := map[string]bool{}
		var walk func(name string)
		walk = func(name string) {
			fact, ok := facts[name]
			if !ok || seen[name] {
				return
			}
			seen[name] = true
			for n := range fact.needs {
				needs[n] = true
			}
			for n := range fact.declared {
				declared[n] = true
			}
			starts = append(starts, fact.starts...)
			for callee := range fact.calls {
				walk(callee)
			}
		}
		walk(test)
		if len(starts) == 0 {
			continue // a unit test: no local API
		}
		var missing []string
		for n := range needs {
			if !declared[n] {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			problems = append(problems, fmt.Sprintf("%s: %s (NewEmulator at %s)", test, strings.Join(missing, ", "), strings.Join(starts, ", ")))
		}
	}
	sort.Strings(problems)
	return problems
}

// collectFacts walks one declaration.
func collectFacts(fset *token.FileSet, node ast.Node) *funcFacts {
	f := &funcFacts{needs: map[string]bool{}, declared: map[string]bool{}, calls: map[string]bool{}}
	ast.Inspect(node, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			switch {
			case (x.Sel.Name == "Server" && !isIdent(x.X, "httptest")) || x.Sel.Name == "GraphRequests":
				f.needs["NeedsControl"] = true
			case isIdent(x.X, "emulator") && strings.HasPrefix(x.Sel.Name, "Seed"):
				f.needs["NeedsSeededDirectory"] = true
			case isIdent(x.X, "emulator") && strings.HasPrefix(x.Sel.Name, "Default"):
				f.needs["NeedsLocalAPI"] = true // its built-in app's credentials
			case isIdent(x.X, "azuread"):
				f.needs["NeedsLocalAPI"] = true
			}
			f.calls[x.Sel.Name] = true // a method or field of this package, if it has one by that name
		case *ast.Ident:
			f.calls[x.Name] = true
		case *ast.BasicLit:
			if x.Kind == token.STRING && (strings.Contains(x.Value, `"entragov_group"`) || strings.Contains(x.Value, `"entragov_user"`)) {
				f.needs["NeedsSeededDirectory"] = true
			}
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewEmulator" {
				f.starts = append(f.starts, fset.Position(x.Pos()).String())
				for _, arg := range x.Args[1:] {
					if a, ok := arg.(*ast.SelectorExpr); ok {
						f.declared[a.Sel.Name] = true
					}
				}
			}
		}
		return true
	})
	return f
}

// merge adds what a declaration uses to its name's facts (methods of several types may share a name).
func merge(facts map[string]*funcFacts, name string, f *funcFacts) {
	old, ok := facts[name]
	if !ok {
		facts[name] = f
		return
	}
	for _, pair := range [][2]map[string]bool{{old.needs, f.needs}, {old.declared, f.declared}, {old.calls, f.calls}} {
		for k := range pair[1] {
			pair[0][k] = true
		}
	}
	old.starts = append(old.starts, f.starts...)
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
