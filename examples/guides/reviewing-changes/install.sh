# Go 1.26 or later: installs entragov-review into $(go env GOPATH)/bin.
go install github.com/entragov/terraform-provider-entragov/internal/review/cmd/entragov-review@latest
entragov-review -version
