#!/usr/bin/env bash
# Prints the "Verifying this release" section that scripts/release.sh appends to a release's notes: the
# fingerprint and the ASCII-armored public half of the key that signs the SHA256SUMS, and how to check a
# download with it. The same key is the one registered with the registries that serve the provider:
#   - Terraform Registry: the namespace's signing keys (User Settings > Signing Keys), ASCII-armored;
#     https://developer.hashicorp.com/terraform/registry/providers/publishing#preparing-and-adding-a-signing-key
#   - OpenTofu Registry: the key file under keys/<namespace>/ in github.com/opentofu/registry;
#     https://opentofu.org/docs/internal/provider-registry-protocol/ (the signing key section).
#
#   scripts/signing-key-notes.sh FINGERPRINT
set -euo pipefail

die() { echo "error: $*" >&2; exit 1; }
[ $# -eq 1 ] && [ -n "$1" ] || die "usage: scripts/signing-key-notes.sh FINGERPRINT"
fingerprint="$1"
command -v gpg >/dev/null || die "gpg is not installed"
key="$(gpg --batch --armor --export "$fingerprint" 2>/dev/null)"
[ -n "$key" ] || die "the keyring has no public key $fingerprint"

cat <<NOTES

### Verifying this release

\`terraform-provider-entragov_<version>_SHA256SUMS\` is signed (\`.sig\`) with the key below, the one
registered with the Terraform Registry and the OpenTofu Registry for the \`entragov\` namespace; Terraform
and OpenTofu check it on \`init\`. Each \`entragov-review\` zip has its own \`.sig\` from the same key.
Fingerprint: \`$fingerprint\`.

\`\`\`shell
gpg --import entragov-signing-key.asc     # the key below, saved to a file
gpg --verify terraform-provider-entragov_<version>_SHA256SUMS.sig terraform-provider-entragov_<version>_SHA256SUMS
sha256sum --check --ignore-missing terraform-provider-entragov_<version>_SHA256SUMS
\`\`\`

<details><summary>Public key</summary>

\`\`\`
$key
\`\`\`

</details>
NOTES
