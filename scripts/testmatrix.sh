#!/usr/bin/env bash
# The acceptance suite (TF_ACC=1 go test ./internal/provider/... ./internal/service/...) once per Terraform or
# OpenTofu binary: the terraform on PATH, then every binary under ENTRAGOV_TF_VERSIONS_DIR, one folder per
# version (terraform-1.15.9/terraform, tofu-1.12.6/tofu, ...). It ends with a table of versions x packages
# (ok or FAIL, and the time) and the wanted versions that had no binary, and fails when any run failed.
#
#   scripts/testmatrix.sh [--skip-path]
#
# --skip-path (or TESTMATRIX_SKIP_PATH=1) leaves out the terraform on PATH (CI: make test already ran it).
# Environment:
#   ENTRAGOV_TF_VERSIONS_DIR  default ${XDG_CACHE_HOME:-$HOME/.cache}/entragov/terraform
#   TESTMATRIX_ARGS           more go test arguments, e.g. '-run TestAccCatalog_'
#   TESTMATRIX_WANT           the versions that should be tested, as <kind>-<version prefix>; default
#                             "terraform-1.15 terraform-$TESTMATRIX_MIN_TERRAFORM tofu" (tofu: any OpenTofu)
#   TESTMATRIX_MIN_TERRAFORM  the oldest Terraform the README claims (default 1.11)
#   GO, TEST_PARALLEL, TESTMATRIX_TIMEOUT   go binary, -parallel, -timeout (go, 4, 60m)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

GO="${GO:-go}"
TEST_PARALLEL="${TEST_PARALLEL:-4}"
TIMEOUT="${TESTMATRIX_TIMEOUT:-60m}"
MIN_TERRAFORM="${TESTMATRIX_MIN_TERRAFORM:-1.11}"
WANT="${TESTMATRIX_WANT:-terraform-1.15 terraform-$MIN_TERRAFORM tofu}"
VERSIONS_DIR="${ENTRAGOV_TF_VERSIONS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/entragov/terraform}"
SKIP_PATH="${TESTMATRIX_SKIP_PATH:-}"
PACKAGES=(./internal/provider/... ./internal/service/...)

for arg in "$@"; do
	case "$arg" in
	--skip-path) SKIP_PATH=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "testmatrix: unknown argument $arg (see --help)" >&2
		exit 2
		;;
	esac
done

export CHECKPOINT_DISABLE=1

work="$(mktemp -d "${TMPDIR:-/tmp}/entragov-testmatrix.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# OpenTofu warns on stderr before any output, `version -json` included, when its CLI configuration file
# cannot be read; an empty one keeps its answers clean (and keeps a user's configuration out of the runs).
tofu_cli_config="$work/tofu.tfrc"
: >"$tofu_cli_config"

# kind_of prints terraform or tofu for a binary, from its file name.
kind_of() {
	case "$(basename "$1")" in
	tofu*) echo tofu ;;
	*) echo terraform ;;
	esac
}

# version_of prints the binary's version from `version -json`.
version_of() {
	local bin="$1" out
	if [ "$(kind_of "$bin")" = tofu ]; then
		out="$(TF_CLI_CONFIG_FILE="$tofu_cli_config" "$bin" version -json 2>/dev/null)" || return 1
	else
		out="$("$bin" version -json 2>/dev/null)" || return 1
	fi
	sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' <<<"$out" | head -n 1
}

# The binaries to run: the PATH terraform first, then the versions folder in version order.
bins=()
labels=()
path_label=""
if path_tf="$(command -v terraform 2>/dev/null)"; then
	if v="$(version_of "$path_tf")" && [ -n "$v" ]; then
		path_label="terraform-$v"
		if [ -z "$SKIP_PATH" ]; then
			bins+=("$path_tf")
			labels+=("$path_label (PATH)")
		fi
	fi
elif [ -z "$SKIP_PATH" ]; then
	echo "testmatrix: no terraform on PATH (install one, or pass --skip-path)" >&2
	exit 1
fi
if [ -d "$VERSIONS_DIR" ]; then
	while IFS= read -r bin; do
		[ -x "$bin" ] || continue
		if ! v="$(version_of "$bin")" || [ -z "$v" ]; then
			echo "testmatrix: $bin does not answer 'version -json'; left out" >&2
			continue
		fi
		bins+=("$bin")
		labels+=("$(kind_of "$bin")-$v")
	done < <(find -L "$VERSIONS_DIR" -mindepth 2 -maxdepth 2 -type f \( -name terraform -o -name tofu \) | sort -V)
fi

# The wanted versions no binary stands for (the PATH terraform counts even when skipped: make test ran it).
have=("$path_label" "${labels[@]%% *}")
missing=()
for want in $WANT; do
	found=""
	for h in "${have[@]}"; do
		if [ -n "$h" ] && { [ "$h" = "$want" ] || [[ "$h" == "$want".* ]] || [[ "$want" = tofu && "$h" == tofu-* ]]; }; then
			found=1
			break
		fi
	done
	[ -n "$found" ] || missing+=("$want")
done

if [ "${#bins[@]}" -eq 0 ]; then
	echo "testmatrix: no Terraform or OpenTofu binary to run (none in $VERSIONS_DIR, PATH skipped)"
fi

status=0
for i in "${!bins[@]}"; do
	bin="${bins[$i]}"
	label="${labels[$i]}"
	log="$work/run-$i.log"
	printf '\n==> %s: %s\n' "$label" "$bin"
	env_args=(TF_ACC=1 "TF_ACC_TERRAFORM_PATH=$bin")
	if [ "$(kind_of "$bin")" = tofu ]; then
		env_args+=(TF_ACC_PROVIDER_HOST=registry.opentofu.org "TF_CLI_CONFIG_FILE=$tofu_cli_config")
	fi
	started=$SECONDS
	# shellcheck disable=SC2086 # TESTMATRIX_ARGS is a list of go test arguments
	if env "${env_args[@]}" "$GO" test "${PACKAGES[@]}" -count=1 -timeout "$TIMEOUT" -parallel "$TEST_PARALLEL" ${TESTMATRIX_ARGS:-} 2>&1 | tee "$log"; then
		:
	else
		status=1
	fi
	echo "    ($label: $(( (SECONDS - started) / 60 ))m$(( (SECONDS - started) % 60 ))s)"
done

# The table: one row per binary, one column per package that ran; a cell is ok/FAIL and go test's time.
if [ "${#bins[@]}" -gt 0 ]; then
	module="$("$GO" list -m)"
	mapfile -t pkgs < <(cat "$work"/run-*.log | sed -n -E 's/^(ok|FAIL|---)[[:space:]]+([^[:space:]]+)[[:space:]].*/\2/p' |
		grep -F "$module/" | sort -u)
	width=10
	for l in "${labels[@]}"; do [ "${#l}" -lt "$width" ] || width=$(( ${#l} + 2 )); done
	printf '\n==> test matrix\n%-*s' "$width" "version"
	for p in "${pkgs[@]}"; do printf '  %-22s' "${p#"$module"/internal/}"; done
	printf '\n'
	for i in "${!bins[@]}"; do
		printf '%-*s' "$width" "${labels[$i]}"
		for p in "${pkgs[@]}"; do
			line="$(grep -E "^(ok|FAIL)[[:space:]]+$p([[:space:]]|$)" "$work/run-$i.log" | tail -n 1 || true)"
			case "$line" in
			"") cell="-" ;;
			*"[no tests to run]"*) cell="none" ;;
			*"[build failed]"* | *"[setup failed]"*) cell="FAIL (build)" ;;
			ok*) cell="ok $(awk '{print $3}' <<<"$line")" ;;
			*) cell="FAIL $(awk '{print $3}' <<<"$line")" ;;
			esac
			printf '  %-22s' "$cell"
		done
		printf '\n'
	done
fi

if [ "${#missing[@]}" -gt 0 ]; then
	printf '\nskipped, no binary present (put one in %s/<kind>-<version>/<kind>):\n' "$VERSIONS_DIR"
	for m in "${missing[@]}"; do
		case "$m" in
		tofu) echo "  - OpenTofu (latest)" ;;
		tofu-*) echo "  - OpenTofu ${m#tofu-}" ;;
		*) echo "  - Terraform ${m#terraform-}" ;;
		esac
	done
fi
exit "$status"
