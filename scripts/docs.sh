#!/usr/bin/env bash
# Regenerates docs/ from the provider schema, templates/ and examples/ with tfplugindocs (pinned in
# tools/go.mod). Runs offline: tfplugindocs builds the provider, installs it into a temporary
# `terraform init -plugin-dir` directory and reads `terraform providers schema -json` using the terraform
# binary on PATH. We never pass --tf-version, and we refuse to run without terraform on PATH, because
# tfplugindocs would otherwise download the latest Terraform from releases.hashicorp.com.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v terraform >/dev/null 2>&1; then
  echo "error: terraform is not on PATH; docs generation needs it (Terraform >= 1.5)." >&2
  exit 1
fi

# Keep Terraform from contacting checkpoint.hashicorp.com.
export CHECKPOINT_DISABLE=1

exec go tool -modfile=tools/go.mod tfplugindocs generate \
  --provider-dir . \
  --provider-name entragov \
  --rendered-provider-name entragov \
  --examples-dir examples \
  --website-source-dir templates \
  --rendered-website-dir docs
