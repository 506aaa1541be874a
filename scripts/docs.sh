#!/usr/bin/env bash
# Regenerates docs/ from the provider schema, templates/ and examples/ with tfplugindocs (pinned in
# tools/go.mod); `scripts/docs.sh validate` checks docs/ as the Terraform Registry would. Runs offline:
# the provider is built into a temporary `terraform init -plugin-dir` directory and its schema read with
# `terraform providers schema -json` using the terraform binary on PATH (plus the action schemas, which
# Terraform before 1.14 does not print), then handed to tfplugindocs. We never pass
# --tf-version, and we refuse to run without terraform on PATH, because tfplugindocs would otherwise
# download the latest Terraform from releases.hashicorp.com.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v terraform >/dev/null 2>&1; then
  echo "error: terraform is not on PATH; docs generation needs it (Terraform >= 1.11)." >&2
  exit 1
fi

# Keep Terraform from contacting checkpoint.hashicorp.com.
export CHECKPOINT_DISABLE=1

tfplugindocs=(go tool -modfile=tools/go.mod tfplugindocs)

case "${1:-generate}" in
  generate)
    # The schema as tfplugindocs would read it (the provider built into a plugin directory, then
    # `terraform providers schema -json`), completed by internal/provider/cmd/docs-schema with the action
    # schemas a Terraform CLI older than 1.14 leaves out: the pages are the same whatever the CLI's version.
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    plugin="$work/plugins/registry.terraform.io/hashicorp/entragov/0.0.1/$(go env GOOS)_$(go env GOARCH)"
    go build -o "$plugin/terraform-provider-entragov" .
    printf 'provider "entragov" {\n}\n' >"$work/provider.tf"
    terraform -chdir="$work" init -input=false -plugin-dir=./plugins >/dev/null
    terraform -chdir="$work" providers schema -json >"$work/schema.json"
    go run ./internal/provider/cmd/docs-schema -in "$work/schema.json" -out "$work/schema-complete.json"
    "${tfplugindocs[@]}" generate \
      --provider-dir . \
      --provider-name entragov \
      --rendered-provider-name entragov \
      --providers-schema "$work/schema-complete.json" \
      --examples-dir examples \
      --website-source-dir templates \
      --rendered-website-dir docs
    ;;
  validate)
    # The Terraform Registry's checks of docs/ (front matter, file names, one page per resource and data
    # source), with the subcategories the templates use. Its [DEBUG] lines are left out.
    "${tfplugindocs[@]}" validate \
      --provider-dir . \
      --provider-name entragov \
      --allowed-resource-subcategories "Entitlement management,Lifecycle workflows,Access reviews,Directory" \
      2>&1 | { grep -v '\[DEBUG\]' || true; }
    ;;
  *)
    echo "usage: $0 [generate|validate]" >&2
    exit 2
    ;;
esac
