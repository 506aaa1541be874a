#!/usr/bin/env bash
# `make release-check`: everything a release needs, without publishing anything.
#   1. CHANGELOG.md fits HEAD (scripts/changelog.sh check).
#   2. terraform-registry-manifest.json declares the plugin protocol the provider serves (6.0, internal/provider/server.go).
#   3. `goreleaser check` validates .goreleaser.yml (GoReleaser pinned in tools/go.mod).
#   4. `goreleaser release --snapshot --skip=publish` builds every platform into dist/, as a release would,
#      signing the checksums with a throwaway GPG key made for this run (signing is skipped, with a
#      warning, where gpg is not installed).
#   5. dist/ holds what the Terraform Registry expects: one zip per platform holding only
#      terraform-provider-entragov_v<version>, the SHA256SUMS covering exactly the zips and the manifest,
#      and a signature that verifies; and the host platform's binary prints its version with -version
#      and --version; the public key the release notes carry (scripts/signing-key-notes.sh) verifies the
#      signature on its own.
#   6. The review command has its own zip per platform (entragov-review_<version>_<os>_<arch>.zip, holding
#      entragov-review alone, each with a signature that verifies), outside the provider's zips and SHA256SUMS,
#      and its host binary prints its version.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

project=terraform-provider-entragov
review=entragov-review
goreleaser=(go tool -modfile=tools/go.mod goreleaser)
# The platforms the Terraform Registry serves providers for (every Go port of these OSes and CPUs).
platforms=(
  darwin_amd64 darwin_arm64
  freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
  linux_386 linux_amd64 linux_arm linux_arm64
  windows_386 windows_amd64 windows_arm64
)

started=$SECONDS
step() { printf -- '--> %s (%ss)\n' "$*" "$((SECONDS - started))"; }
die() { echo "error: $*" >&2; exit 1; }
for tool in unzip sha256sum; do
  command -v "$tool" >/dev/null || die "release-check needs $tool on PATH"
done

step "CHANGELOG.md"
scripts/changelog.sh check

step "terraform-registry-manifest.json"
# main.go serves through provider.Serve, which hands the server to tf5server or tf6server.
protocol="$(sed -n 's/.*return tf\([56]\)server\.Serve(.*/\1/p' internal/provider/server.go)"
[ -n "$protocol" ] || die "internal/provider/server.go: no tf5server.Serve or tf6server.Serve call in Serve"
tr -d ' \n\t' <terraform-registry-manifest.json | grep -q "\"protocol_versions\":\[\"$protocol\.0\"\]" \
  || die "terraform-registry-manifest.json must declare \"protocol_versions\": [\"$protocol.0\"] (the provider serves protocol $protocol)"
echo "protocol $protocol.0"

step "LICENSE"
grep -q '^Mozilla Public License, version 2.0$' LICENSE || die "LICENSE must hold the Mozilla Public License 2.0"
echo "MPL-2.0"

step "goreleaser check"
"${goreleaser[@]}" --version | sed -n 's/^GitVersion: */goreleaser /p'
"${goreleaser[@]}" check

step "goreleaser release --snapshot (every platform, nothing published)"
skip=publish
if command -v gpg >/dev/null 2>&1; then
  GNUPGHOME="$(mktemp -d)"
  export GNUPGHOME
  trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
  gpg --batch --quiet --passphrase '' --quick-gen-key "$project release-check (throwaway) <release-check@invalid>" ed25519 sign 1d 2>/dev/null
  GPG_FINGERPRINT="$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')"
  export GPG_FINGERPRINT
else
  echo "warning: gpg is not installed: the checksums are not signed in this check" >&2
  skip=publish,sign
fi
log="$(mktemp)"
if ! "${goreleaser[@]}" release --snapshot --clean --skip="$skip" >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  die "goreleaser release --snapshot failed"
fi
rm -f "$log"

step "dist/"
version="$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)"
[ -n "$version" ] || die "dist/metadata.json has no version"
sums="${project}_${version}_SHA256SUMS"
[ -f "dist/$sums" ] || die "dist/$sums is missing"

expected="$(
  for platform in "${platforms[@]}"; do echo "${project}_${version}_${platform}.zip"; done
  echo "${project}_${version}_manifest.json"
)"
listed="$(awk '{ print $2 }' "dist/$sums")"
if [ "$(sort <<<"$expected")" != "$(sort <<<"$listed")" ]; then
  diff <(sort <<<"$expected") <(sort <<<"$listed") >&2 || true
  die "dist/$sums does not list exactly the registry's files (< expected, > listed)"
fi

manifest_sum="$(awk -v f="${project}_${version}_manifest.json" '$2 == f { print $1 }' "dist/$sums")"
[ "$manifest_sum" = "$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)" ] \
  || die "dist/$sums: the manifest's checksum is not that of terraform-registry-manifest.json"
(cd dist && grep -v '_manifest\.json$' "$sums" | sha256sum --check --quiet -) || die "dist/$sums does not match the zips"

for platform in "${platforms[@]}"; do
  binary="${project}_v${version}"
  [[ "$platform" == windows_* ]] && binary+=".exe"
  contents="$(unzip -Z1 "dist/${project}_${version}_${platform}.zip")"
  [ "$contents" = "$binary" ] || die "${project}_${version}_${platform}.zip holds '$contents', want '$binary' alone"
done
echo "${#platforms[@]} zips, each with ${project}_v${version} alone; $sums lists them and the manifest"

if [ "$skip" = publish ]; then
  gpg --batch --quiet --verify "dist/$sums.sig" "dist/$sums" 2>/dev/null \
    || die "dist/$sums.sig does not verify against dist/$sums (was the checksum file changed after signing?)"
  echo "$sums.sig verifies"
  # The release notes carry the public key: a keyring holding only what they print verifies the release.
  notes_keyring="$(mktemp -d)"
  scripts/signing-key-notes.sh "$GPG_FINGERPRINT" | sed -n '/^-----BEGIN PGP PUBLIC KEY BLOCK-----$/,/^-----END PGP PUBLIC KEY BLOCK-----$/p' \
    | GNUPGHOME="$notes_keyring" gpg --batch --quiet --import 2>/dev/null || die "the release notes' public key does not import"
  GNUPGHOME="$notes_keyring" gpg --batch --quiet --verify "dist/$sums.sig" "dist/$sums" 2>/dev/null \
    || die "dist/$sums.sig does not verify with the public key scripts/signing-key-notes.sh prints"
  gpgconf --homedir "$notes_keyring" --kill gpg-agent >/dev/null 2>&1 || true
  rm -rf "$notes_keyring"
  echo "the release notes' public key verifies $sums.sig"
fi

step "the review command's zips"
for platform in "${platforms[@]}"; do
  zip="${review}_${version}_${platform}.zip"
  [ -f "dist/$zip" ] || die "dist/$zip is missing"
  binary="$review"
  [[ "$platform" == windows_* ]] && binary+=".exe"
  contents="$(unzip -Z1 "dist/$zip")"
  [ "$contents" = "$binary" ] || die "$zip holds '$contents', want '$binary' alone"
  if unzip -Z1 "dist/${project}_${version}_${platform}.zip" | grep -q "$review"; then
    die "${project}_${version}_${platform}.zip holds the review command; the registry's zips hold the provider alone"
  fi
  if [ "$skip" = publish ]; then
    gpg --batch --quiet --verify "dist/$zip.sig" "dist/$zip" 2>/dev/null || die "dist/$zip.sig does not verify against dist/$zip"
  fi
done
if grep -q "$review" "dist/$sums"; then
  die "dist/$sums lists the review command's zips; it must list the registry's files only"
fi
echo "${#platforms[@]} zips, each with $review alone$([ "$skip" = publish ] && echo " and a signature that verifies"); not in $sums"

step "the host binary prints its version"
host="$(go env GOOS)_$(go env GOARCH)"
binary="$(compgen -G "dist/*_${host}*/${project}_v${version}*" | head -n 1 || true)"
[ -n "$binary" ] || die "no binary for $host under dist/"
for flag in -version --version; do
  out="$("$binary" "$flag")" || die "$binary $flag exited with $?"
  [ "$out" = "$project $version" ] || die "$binary $flag printed '$out', want '$project $version'"
done
echo "$binary -version: $out"
reviewbin="$(compgen -G "dist/review_${host}*/${review}" | head -n 1 || true)"
[ -n "$reviewbin" ] || die "no $review binary for $host under dist/"
out="$("$reviewbin" -version)" || die "$reviewbin -version exited with $?"
[ "$out" = "$review $version" ] || die "$reviewbin -version printed '$out', want '$review $version'"
echo "$reviewbin -version: $out"

step "release-check passed"
