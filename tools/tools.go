//go:build generate

// Package tools pins the development tools of terraform-provider-entragov in its own module
// (see go.mod: `tool` directives), so they run with `go tool -modfile=tools/go.mod <name>` and
// never need a global install:
//
//	go tool -modfile=tools/go.mod tfplugindocs generate ...
//	go tool -modfile=tools/go.mod golangci-lint run ./...
//	go tool -modfile=tools/go.mod goreleaser check   (make release-check, scripts/release.sh)
//
// `go generate ./...` in this directory (`make generate`) regenerates docs/.
package tools

// Generate documentation (offline; see the script).
//go:generate ../scripts/docs.sh
