#!/usr/bin/env bash
# Regenerates docs/ from the provider schema, templates/ and examples/ with tfplugindocs (pinned in
# tools/go.mod); `scripts/docs.sh validate` checks docs/ as the Terraform Registry would. Runs offline:
# tfplugindocs builds the provider, installs it into a temporary `terraform init -plugin-dir` directory
# and reads `terraform providers schema -json` using the terraform binary on PATH. We never pass
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
    exec "${tfplugindocs[@]}" generate \
      --provider-dir . \
      --provider-name entragov \
      --rendered-provider-name entragov \
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
      --allowed-resource-subcategories "Entitlement management,Lifecycle workflows,Directory" \
      2>&1 | { grep -v '\[DEBUG\]' || true; }
    ;;
  *)
    echo "usage: $0 [generate|validate]" >&2
    exit 2
    ;;
esac
