package graphmeta

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// GoSource is one Go package's non-test files, parsed, for what reflection cannot see: unexported types,
// request bodies built from literals inside functions, the allowed-value lists of the provider's schema.
type GoSource struct {
	Dir     string
	fset    *token.FileSet
	files   map[string]*ast.File // by base name
	consts  map[string]string
	structs map[string]*ast.StructType
	// Imported resolves pkg.Name selectors (e.g. graph.SubjectSingleUser) in lists; set by the caller.
	Imported map[string]map[string]string
}

// ParseGoDir parses the non-test .go files of dir.
func ParseGoDir(dir string) (*GoSource, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	s := &GoSource{Dir: dir, fset: token.NewFileSet(), files: map[string]*ast.File{}, consts: map[string]string{}, structs: map[string]*ast.StructType{}}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(s.fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		s.files[n] = f
	}
	// Constants, in as many passes as it takes for constants defined from other constants.
	for range 4 {
		s.eachFile(func(_ string, f *ast.File) {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok {
						continue
					}
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							if v, ok := s.stringValue(vs.Values[i]); ok {
								s.consts[name.Name] = v
							}
						}
					}
				}
			}
		})
	}
	s.eachFile(func(_ string, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if st, ok := ts.Type.(*ast.StructType); ok {
					s.structs[ts.Name.Name] = st
				}
			}
			return true
		})
	})
	return s, nil
}

func (s *GoSource) eachFile(fn func(name string, f *ast.File)) {
	names := make([]string, 0, len(s.files))
	for n := range s.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fn(n, s.files[n])
	}
}

// Consts returns the package's string constants.
func (s *GoSource) Consts() map[string]string { return s.consts }

// stringValue evaluates a string constant expression: literals, constants, pkg.Const and '+'.
func (s *GoSource) stringValue(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			v, err := strconv.Unquote(e.Value)
			return v, err == nil
		}
	case *ast.Ident:
		v, ok := s.consts[e.Name]
		return v, ok
	case *ast.SelectorExpr:
		if pkg, ok := e.X.(*ast.Ident); ok {
			v, ok := s.Imported[pkg.Name][e.Sel.Name]
			return v, ok
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, ok1 := s.stringValue(e.X)
			b, ok2 := s.stringValue(e.Y)
			return a + b, ok1 && ok2
		}
	case *ast.ParenExpr:
		return s.stringValue(e.X)
	}
	return "", false
}

// StringLists returns the lists of string values in the package: package-level []string variables by
// name, the keys and the values of package-level map variables keyed by strings ("name.keys",
// "name.values"), lists written inline in functions ([]string{...} literals and OneOf(...) calls with
// literal arguments) as "inline:<enclosing literal keys joined by '.'>" (no file name: files get split
// and renamed), and lists inside a package-level variable's initialiser function as "name:inline".
func (s *GoSource) StringLists() map[string][]string {
	out := map[string][]string{}
	s.eachFile(func(fname string, f *ast.File) {
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, spec := range gd.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						s.varLists(vs, out)
					}
				}
			}
		}
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Body != nil {
				s.inlineLists(fname, fd.Body, nil, out)
			}
		}
	})
	return out
}

// varLists adds the lists of one package-level variable declaration.
func (s *GoSource) varLists(vs *ast.ValueSpec, out map[string][]string) {
	for i, name := range vs.Names {
		if i >= len(vs.Values) {
			continue
		}
		cl, ok := vs.Values[i].(*ast.CompositeLit)
		if !ok {
			// A list inside an initialiser function: var x = func() T { ... []string{...} ... }().
			s.inlineLists(name.Name+":inline", vs.Values[i], nil, out)
			continue
		}
		switch cl.Type.(type) {
		case *ast.ArrayType:
			if vals, ok := s.literalStrings(cl.Elts); ok {
				out[name.Name] = vals
			}
		case *ast.MapType:
			keys, values := s.mapLists(cl)
			if len(keys) > 0 {
				out[name.Name+".keys"] = keys
			}
			if len(values) > 0 {
				out[name.Name+".values"] = values
			}
		}
	}
}

// mapLists returns the string keys of a map literal and the strings of its list values.
func (s *GoSource) mapLists(cl *ast.CompositeLit) (keys, values []string) {
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := s.stringValue(kv.Key); ok {
			keys = append(keys, k)
		}
		if inner, ok := kv.Value.(*ast.CompositeLit); ok {
			if vals, ok := s.literalStrings(inner.Elts); ok {
				values = append(values, vals...)
			}
		}
	}
	return keys, values
}

func (s *GoSource) inlineLists(prefix string, n ast.Node, keys []string, out map[string][]string) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.KeyValueExpr:
			if k, ok := s.stringValue(n.Key); ok {
				s.inlineLists(prefix, n.Value, append(append([]string{}, keys...), k), out)
				return false
			}
		case *ast.CompositeLit:
			if at, ok := n.Type.(*ast.ArrayType); ok {
				if id, ok := at.Elt.(*ast.Ident); ok && id.Name == "string" {
					if vals, ok := s.literalStrings(n.Elts); ok && len(vals) > 0 {
						key := listKey(prefix, keys)
						out[key] = append(out[key], vals...)
					}
				}
			}
		case *ast.CallExpr:
			if callName(n.Fun) == "OneOf" && !n.Ellipsis.IsValid() {
				if vals, ok := s.literalStrings(n.Args); ok && len(vals) > 0 {
					key := listKey(prefix, keys)
					out[key] = append(out[key], vals...)
				}
			}
		}
		return true
	})
}

func callName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func listKey(prefix string, keys []string) string {
	if strings.HasSuffix(prefix, ":inline") {
		return prefix
	}
	return "inline:" + strings.Join(keys, ".")
}

func (s *GoSource) literalStrings(elts []ast.Expr) ([]string, bool) {
	var out []string
	for _, e := range elts {
		v, ok := s.stringValue(e)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// StructTags returns the JSON names of the fields of the named struct type (embedded structs of the
// package flattened), in order. Fields tagged "-" are left out; untagged exported fields keep their Go
// name.
func (s *GoSource) StructTags(name string) ([]string, bool) {
	st, ok := s.structs[name]
	if !ok {
		return nil, false
	}
	return s.fieldNames(st), true
}

func (s *GoSource) fieldNames(st *ast.StructType) []string {
	var out []string
	for _, f := range st.Fields.List {
		tag := ""
		if f.Tag != nil {
			raw, _ := strconv.Unquote(f.Tag.Value)
			tag, _, _ = strings.Cut(reflect.StructTag(raw).Get("json"), ",")
		}
		if tag == "-" {
			continue
		}
		if len(f.Names) == 0 { // embedded
			if id, ok := f.Type.(*ast.Ident); ok && tag == "" {
				if inner, ok := s.structs[id.Name]; ok {
					out = append(out, s.fieldNames(inner)...)
				}
			}
			continue
		}
		for _, n := range f.Names {
			if !n.IsExported() {
				continue
			}
			if tag != "" {
				out = append(out, tag)
			} else {
				out = append(out, n.Name)
			}
		}
	}
	return out
}

// TaggedStructs lists the package's named struct types that have at least one JSON tag.
func (s *GoSource) TaggedStructs() []string {
	var out []string
	for name, st := range s.structs {
		for _, f := range st.Fields.List {
			if f.Tag != nil && strings.Contains(f.Tag.Value, "json:") {
				out = append(out, name)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// Methods lists the receiver type names of the package's methods called name (e.g. "UnmarshalJSON").
func (s *GoSource) Methods(name string) []string {
	var out []string
	s.eachFile(func(_ string, f *ast.File) {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.Name == name {
				out = append(out, recvName(fd))
			}
		}
	})
	sort.Strings(out)
	return out
}

func recvName(fd *ast.FuncDecl) string {
	t := fd.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func (s *GoSource) findFunc(name string) *ast.FuncDecl {
	var found *ast.FuncDecl
	recv, method, isMethod := strings.Cut(name, ".")
	s.eachFile(func(_ string, f *ast.File) {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if isMethod && fd.Recv != nil && recvName(fd) == recv && fd.Name.Name == method {
				found = fd
			}
			if !isMethod && fd.Name.Name == name {
				found = fd
			}
		}
	})
	return found
}

// FuncJSON returns, as JSON values (map[string]any, []any, string, float64, bool; nil where the value is
// not a literal), what the function sends or reads through literals: every value assigned to a variable
// called body, and every variable declared with an anonymous struct type (its JSON tags as keys). name is
// "Func" or "Type.Method".
func (s *GoSource) FuncJSON(name string) ([]any, error) {
	fd := s.findFunc(name)
	if fd == nil || fd.Body == nil {
		return nil, fmt.Errorf("%s: no function %s", s.Dir, name)
	}
	var out []any
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if i >= len(n.Rhs) {
					break
				}
				if id, ok := lhs.(*ast.Ident); ok && id.Name == "body" {
					out = append(out, s.jsonValue(n.Rhs[i]))
				}
				// body["key"] = value
				if ix, ok := lhs.(*ast.IndexExpr); ok {
					if id, ok := ix.X.(*ast.Ident); ok && id.Name == "body" {
						if k, ok := s.stringValue(ix.Index); ok {
							out = append(out, map[string]any{k: s.jsonValue(n.Rhs[i])})
						}
					}
				}
			}
		case *ast.ValueSpec:
			if st, ok := n.Type.(*ast.StructType); ok {
				m := map[string]any{}
				for _, k := range s.fieldNames(st) {
					m[k] = nil
				}
				out = append(out, m)
			}
			for i, id := range n.Names {
				if id.Name == "body" && i < len(n.Values) {
					out = append(out, s.jsonValue(n.Values[i]))
				}
			}
		}
		return true
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %s builds no body literal and declares no anonymous struct", s.Dir, name)
	}
	return out, nil
}

// UnmarshalTags returns the JSON tags of the anonymous structs UnmarshalJSON of typ decodes into.
func (s *GoSource) UnmarshalTags(typ string) []string {
	fd := s.findFunc(typ + ".UnmarshalJSON")
	if fd == nil {
		return nil
	}
	var out []string
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if st, ok := n.(*ast.StructType); ok {
			out = append(out, s.fieldNames(st)...)
		}
		return true
	})
	return out
}

func (s *GoSource) jsonValue(e ast.Expr) any {
	if v, ok := s.stringValue(e); ok {
		return v
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.INT || e.Kind == token.FLOAT {
			f, _ := strconv.ParseFloat(e.Value, 64)
			return f
		}
	case *ast.Ident:
		if e.Name == "true" || e.Name == "false" {
			return e.Name == "true"
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return s.jsonValue(e.X)
		}
	case *ast.CompositeLit:
		return s.compositeJSON(e)
	}
	return nil
}

// compositeJSON is the JSON a map, slice or struct literal marshals to (struct fields by their json tags).
func (s *GoSource) compositeJSON(e *ast.CompositeLit) any {
	switch t := e.Type.(type) {
	case *ast.MapType:
		m := map[string]any{}
		for _, el := range e.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if k, ok := s.stringValue(kv.Key); ok {
					m[k] = s.jsonValue(kv.Value)
				}
			}
		}
		return m
	case *ast.ArrayType:
		a := []any{}
		for _, el := range e.Elts {
			a = append(a, s.jsonValue(el))
		}
		return a
	case *ast.Ident:
		st, ok := s.structs[t.Name]
		if !ok {
			return nil
		}
		tags := jsonTags(st)
		m := map[string]any{}
		for _, el := range e.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if id, ok := kv.Key.(*ast.Ident); ok && tags[id.Name] != "-" {
				m[tags[id.Name]] = s.jsonValue(kv.Value)
			}
		}
		return m
	}
	return nil
}

// jsonTags maps a struct's field names to their JSON names.
func jsonTags(st *ast.StructType) map[string]string {
	tags := map[string]string{}
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			tag := n.Name
			if f.Tag != nil {
				raw, _ := strconv.Unquote(f.Tag.Value)
				if j, _, _ := strings.Cut(reflect.StructTag(raw).Get("json"), ","); j != "" {
					tag = j
				}
			}
			tags[n.Name] = tag
		}
	}
	return tags
}

// StringLiterals returns every string literal of the package (paths, $expand values), for checks that a
// navigation the client follows through a URL is in its source.
func (s *GoSource) StringLiterals() []string {
	var out []string
	s.eachFile(func(_ string, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if v, err := strconv.Unquote(bl.Value); err == nil {
					out = append(out, v)
				}
			}
			return true
		})
	})
	return out
}

// BodyFuncs lists the functions and methods (as FuncJSON names them) that FuncJSON finds something in,
// MarshalJSON and UnmarshalJSON methods left out.
func (s *GoSource) BodyFuncs() []string {
	var out []string
	s.eachFile(func(_ string, f *ast.File) {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Name.Name == "MarshalJSON" || fd.Name.Name == "UnmarshalJSON" {
				continue
			}
			name := fd.Name.Name
			if fd.Recv != nil {
				name = recvName(fd) + "." + name
			}
			if _, err := s.FuncJSON(name); err == nil {
				out = append(out, name)
			}
		}
	})
	sort.Strings(out)
	return out
}

// QueryValues returns the constant values the package gives the query parameter key: in
// url.Values{key: {value}} literals and in q.Set(key, value) calls. Values built at run time are left out.
func (s *GoSource) QueryValues(key string) []string {
	var out []string
	s.eachFile(func(_ string, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := s.stringValue(n.Key); ok && k == key {
					if cl, ok := n.Value.(*ast.CompositeLit); ok {
						for _, e := range cl.Elts {
							if v, ok := s.stringValue(e); ok {
								out = append(out, v)
							}
						}
					}
				}
			case *ast.CallExpr:
				if callName(n.Fun) == "Set" && len(n.Args) == 2 {
					if k, ok := s.stringValue(n.Args[0]); ok && k == key {
						if v, ok := s.stringValue(n.Args[1]); ok {
							out = append(out, v)
						}
					}
				}
			}
			return true
		})
	})
	sort.Strings(out)
	return slices.Compact(out)
}
