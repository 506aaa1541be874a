#!/usr/bin/env bash
# Checks CHANGELOG.md and extracts a version's release notes from it.
#
#   scripts/changelog.sh check          the changelog fits HEAD (make release-check runs this):
#                                       - at a release tag vX.Y.Z: "## X.Y.Z (<Month D, YYYY>)" exists and has entries;
#                                       - elsewhere: the newest section is "## X.Y.Z (Unreleased)" for a version not
#                                         tagged yet, or a dated section of a version not tagged yet (the release
#                                         commit, before its tag).
#   scripts/changelog.sh check X.Y.Z    "## X.Y.Z (<Month D, YYYY>)" exists and has entries (scripts/release.sh).
#   scripts/changelog.sh notes X.Y.Z    prints the entries of X.Y.Z: the release notes of its GitHub release.
#
# Every "## " heading must read "## X.Y.Z (Unreleased)" or "## X.Y.Z (Month D, YYYY)", each version once.
# A leading "v" on X.Y.Z is accepted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
changelog="${CHANGELOG:-$root/CHANGELOG.md}"

die() { echo "error: $*" >&2; exit 1; }

semver='[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?'
month='(January|February|March|April|May|June|July|August|September|October|November|December)'
heading_re="^## ($semver) \\((Unreleased|$month [1-9][0-9]?, [0-9]{4})\\)\$"

[ -f "$changelog" ] || die "$changelog not found"

# "version<TAB>date" for every section, newest (topmost) first.
sections() {
  local line found=0
  while IFS= read -r line; do
    [[ "$line" =~ $heading_re ]] || die "$(basename "$changelog"): heading '$line' is not '## X.Y.Z (Unreleased)' or '## X.Y.Z (Month D, YYYY)'"
    printf '%s\t%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]}"
    found=1
  done < <(grep -E '^## ' "$changelog" || true)
  [ "$found" = 1 ] || die "$(basename "$changelog") has no '## X.Y.Z (...)' section"
}

# The lines of a version's section, without leading and trailing blank lines.
body() {
  awk -v heading="## $1 (" '
    /^## / { if (inside) exit; if (index($0, heading) == 1) { inside = 1; next } }
    inside {
      if (!started && $0 ~ /^[[:space:]]*$/) next
      started = 1
      lines[++n] = $0
      if ($0 !~ /^[[:space:]]*$/) last = n
    }
    END { for (i = 1; i <= last; i++) print lines[i] }
  ' "$changelog"
}

tagged() { git -C "$root" rev-parse -q --verify "refs/tags/v$1" >/dev/null 2>&1; }

# A version being released: dated, with entries.
check_released() {
  local version="$1" date
  date="$(sections | awk -F '\t' -v v="$version" '$1 == v { print $2 }')"
  [ -n "$date" ] || die "CHANGELOG.md has no section '## $version (Month D, YYYY)'"
  [ "$date" != Unreleased ] || die "CHANGELOG.md: '## $version (Unreleased)' must carry the release date, e.g. '## $version ($(LC_ALL=C date -u '+%B %-d, %Y'))'"
  [ -n "$(body "$version")" ] || die "CHANGELOG.md: the section of $version has no entries"
  echo "CHANGELOG.md: $version ($date) has release notes"
}

list="$(sections)"
dupes="$(cut -f1 <<<"$list" | sort | uniq -d)"
[ -z "$dupes" ] || die "CHANGELOG.md has more than one section for: $dupes"

cmd="${1:-}"
version="${2:-}"
version="${version#v}"
case "$cmd" in
  notes)
    [ -n "$version" ] || die "usage: $0 notes X.Y.Z"
    notes="$(body "$version")"
    [ -n "$notes" ] || die "CHANGELOG.md has no entries for $version"
    printf '%s\n' "$notes"
    ;;
  check)
    if [ -n "$version" ]; then
      check_released "$version"
      exit 0
    fi
    head_tags="$(git -C "$root" tag --points-at HEAD 2>/dev/null | grep -E "^v$semver\$" || true)"
    if [ -n "$head_tags" ]; then
      for tag in $head_tags; do check_released "${tag#v}"; done
      exit 0
    fi
    IFS=$'\t' read -r top_version top_date <<<"$(head -n 1 <<<"$list")"
    if tagged "$top_version"; then
      die "CHANGELOG.md: $top_version is already tagged (v$top_version) and is still the newest section; open the next one above it, e.g. '## <next version> (Unreleased)'"
    fi
    if [ "$top_date" = Unreleased ]; then
      echo "CHANGELOG.md: next version $top_version (Unreleased)"
    else
      check_released "$top_version"
      echo "CHANGELOG.md: tag v$top_version is still to be created"
    fi
    ;;
  *)
    die "usage: $0 check [X.Y.Z] | notes X.Y.Z"
    ;;
esac
