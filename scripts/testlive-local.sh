#!/usr/bin/env bash
# `make testlive-local`: proves live mode (ENTRAGOV_ACC_LIVE=1) end to end without a tenant. It starts the
# local governance API as a separate process, as if it were a tenant, points the acceptance tests at it
# only through the provider's usual variables, then sweeps what the run left and fails if anything was
# left. LIVE_TESTARGS narrows the run (default: every acceptance test).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/entragov-live.XXXXXX")"
go="${GO:-go}"
terraform="${TERRAFORM:-$(command -v terraform)}"

"$go" build -o "$work/entragov-emulator" ./internal/emulator/cmd/entragov-emulator
# A fixed loopback port chosen from this process's id keeps parallel runs apart without a helper.
port=$(( 20000 + $$ % 20000 ))
tenant="5f1a7c1e-2c3d-4b5e-8f90-1a2b3c4d5e6f"
client="9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
secret="live-mode-secret-$$"
"$work/entragov-emulator" -listen "127.0.0.1:$port" -db ":memory:" -cert-file "$work/ca.pem" \
  -tenant-id "$tenant" -client-id "$client" -client-secret "$secret" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/emulator.log" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "listening on" "$work/emulator.log" || { echo "the local API did not start" >&2; cat "$work/emulator.log" >&2; exit 1; }

export SSL_CERT_FILE="$work/ca.pem"
export ENTRAGOV_GRAPH_ENDPOINT="https://127.0.0.1:$port" ENTRAGOV_LOGIN_ENDPOINT="https://127.0.0.1:$port"
export ENTRAGOV_TENANT_ID="$tenant" ENTRAGOV_CLIENT_ID="$client" ENTRAGOV_CLIENT_SECRET="$secret"
export ENTRAGOV_ACC_LIVE=1 ENTRAGOV_ACC_LIVE_SEEDED=1 ENTRAGOV_ACC_PREFIX="tfacc-"

echo "==> acceptance tests in live mode against the local API process at $ENTRAGOV_GRAPH_ENDPOINT"
status=0
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$terraform" "$go" test ./internal/service/... -v -count=1 -timeout 30m \
  -parallel "${TEST_PARALLEL:-4}" ${LIVE_TESTARGS:-} >"$work/test.log" 2>&1 || status=$?
# The verdict lines, and the whole output of what failed.
grep -E '^(--- FAIL|ok|FAIL|panic)' "$work/test.log" || true
if [[ $status -ne 0 ]]; then
  awk '/^=== RUN/{buf=""} {buf=buf"\n"$0} /^--- FAIL/{print buf}' "$work/test.log" | tail -n 200
fi
ran=$(grep -c -- '^--- PASS' "$work/test.log" || true)
skipped=$(grep -c -- '^--- SKIP' "$work/test.log" || true)
echo "live mode: $ran tests passed against the separate process, $skipped skipped (they need what only the local API has: its control surface, seeded directory or built-in app)"

# Tests destroy what Terraform made (CheckDestroy); what they made themselves out of band, and what a
# failed test left, is the sweep's to delete. Afterwards a dry run must find nothing.
echo "==> make sweep SWEEP_ARGS=-apply: what the run left"
"$go" run ./internal/acctest/cmd/sweep -apply || status=$?
"$go" run ./internal/acctest/cmd/sweep | tee "$work/sweep.log"
if grep -q "would delete" "$work/sweep.log"; then
  echo "error: the sweep could not delete everything the run left (listed above)" >&2
  status=1
fi
exit "$status"
