#!/usr/bin/env bash
# Publishes the release of the tag at HEAD (vX.Y.Z) as a draft GitHub release with GoReleaser (pinned in
# tools/go.mod): zips for every platform, the registry manifest, SHA256SUMS and its GPG signature. The
# release notes are X.Y.Z's section of CHANGELOG.md and the signing key's section (scripts/signing-key-notes.sh).
# See "Releasing" in CONTRIBUTING.md.
#
#   GPG_FINGERPRINT=<key fingerprint> GITHUB_TOKEN=<token> scripts/release.sh [goreleaser release flags]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

die() { echo "error: $*" >&2; exit 1; }

tag="$(git tag --points-at HEAD | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$' | head -n 1 || true)"
[ -n "$tag" ] || die "HEAD has no release tag vX.Y.Z: tag the release commit first (git tag -s vX.Y.Z)"
[ -z "$(git status --porcelain --untracked-files=no)" ] || die "the work tree has uncommitted changes"
[ -n "${GPG_FINGERPRINT:-}" ] || die "set GPG_FINGERPRINT to the fingerprint of the signing key registered with the Terraform Registry"
[ -n "${GITHUB_TOKEN:-}" ] || die "set GITHUB_TOKEN to a token that can create releases in the repository"

version="${tag#v}"
scripts/changelog.sh check "$version"
notes="$(mktemp)"
trap 'rm -f "$notes"' EXIT
scripts/changelog.sh notes "$version" >"$notes"
# The public key and how to verify with it: users find the key where they find the release.
scripts/signing-key-notes.sh "$GPG_FINGERPRINT" >>"$notes"

go tool -modfile=tools/go.mod goreleaser release --clean --release-notes "$notes" "$@"
