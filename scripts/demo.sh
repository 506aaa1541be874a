#!/usr/bin/env bash
# `make demo`: builds the provider and the local governance API, starts the API in the background,
# applies examples/demo with Terraform, checks that a second plan is empty, changes a catalog out of
# band through the control API and shows that Terraform detects the drift, then plans a risky change in a copy
# of the configuration (approval off, no expiration, the leaver workflow disabled) and prints what
# entragov-review says about it, without applying it; last, it gives a Fabrikam guest a leave date and moves
# the local API's clock seven months forward: the leaver workflow deletes her on her last day, and the other
# guest's assignment expires, the guest is blocked and then deleted.
# Needs only Go, Terraform and curl. Stop the API afterwards with `make demo-stop`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

port="${ENTRAGOV_DEMO_PORT:-9443}"
base="https://127.0.0.1:${port}"
demo="$root/.demo"
ca="$demo/emulator-ca.pem"
log="$demo/emulator.log"
pidfile="$demo/emulator.pid"
work="$demo/work"

# True when pid runs the emulator (without ps, as on slim images, trust the pid file).
is_demo_emulator() {
  if command -v ps >/dev/null 2>&1; then
    ps -p "$1" -o command= 2>/dev/null | grep -q entragov-emulator
  else
    kill -0 "$1" 2>/dev/null
  fi
}
step() { printf '\n==> %s\n' "$*"; }
fail() {
  echo >&2
  echo "error: $*" >&2
  if [[ -f "$log" ]]; then
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2 || true
    echo "----" >&2
  fi
  exit 1
}
trap 'fail "the demo failed (line $LINENO)"' ERR

for cmd in go terraform curl; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "error: $cmd is not on PATH; the demo needs Go, Terraform and curl." >&2; exit 1; }
done

step "1/7 building the provider, the local governance API and entragov-review"
mkdir -p bin
go build -ldflags "-X main.version=dev" -o bin/terraform-provider-entragov .
go build -o bin/entragov-emulator ./internal/emulator/cmd/entragov-emulator
go build -o bin/entragov-review ./internal/review/cmd/entragov-review
echo "built bin/terraform-provider-entragov, bin/entragov-emulator and bin/entragov-review"

step "2/7 starting the local governance API on ${base}"
if [[ -f "$pidfile" ]]; then
  oldpid="$(cat "$pidfile")"
  # Only stop the process if it still is the demo emulator (the pid may have been reused).
  if is_demo_emulator "$oldpid" && kill "$oldpid" 2>/dev/null; then
    echo "stopped the previous demo emulator (pid $oldpid)"
    for _ in $(seq 1 50); do kill -0 "$oldpid" 2>/dev/null || break; sleep 0.1; done
  fi
fi
rm -rf "$demo"
mkdir -p "$work"
# In the background, detached from the terminal: it outlives this script until `make demo-stop`.
# -policy-create-conflict makes the API refuse parallel policy creates for one access package, as Graph
# does; the demo's for_each over policies shows the provider coping with it.
nohup bin/entragov-emulator -listen "127.0.0.1:${port}" -db "$demo/emulator.db" -cert-file "$ca" \
  -policy-create-conflict >"$log" 2>&1 </dev/null &
echo $! >"$pidfile"
echo "emulator pid $(cat "$pidfile"), log $log"

ready=""
for _ in $(seq 1 60); do
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    fail "the emulator exited during start-up (is port ${port} in use? set ENTRAGOV_DEMO_PORT)"
  fi
  if [[ -f "$ca" ]] && curl -sf --cacert "$ca" "${base}/_emulator/health" >/dev/null 2>&1; then
    ready=1
    break
  fi
  sleep 0.5
done
[[ -n "$ready" ]] || fail "the emulator did not answer ${base}/_emulator/health within 30 s"
echo "healthy: ${base}/_emulator/health"

cat >"$demo/terraformrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/entragov/entragov" = "${root}/bin"
  }
  direct {}
}
TFRC
cp examples/demo/*.tf "$work/"

export TF_CLI_CONFIG_FILE="$demo/terraformrc"
export SSL_CERT_FILE="$ca"
export ENTRAGOV_GRAPH_ENDPOINT="$base"
export ENTRAGOV_LOGIN_ENDPOINT="$base"
export ENTRAGOV_TENANT_ID="9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
export ENTRAGOV_CLIENT_ID="3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
export ENTRAGOV_CLIENT_SECRET="entragov-local-secret"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1

cd "$work"

step "3/7 terraform apply (examples/demo: catalogs, Project Falcon, policies, the partner-onboarding story and a guest leaver workflow)"
terraform apply -auto-approve -input=false

step "4/7 terraform plan again: expecting no changes"
rc=0
terraform plan -detailed-exitcode -input=false || rc=$?
[[ $rc -eq 0 ]] || fail "expected an empty plan (exit code 0) after apply, got exit code $rc"
echo "OK: no changes"

step "5/7 changing the partner catalog outside Terraform, then terraform plan: expecting drift"
partner_id="$(terraform output -raw partner_catalog_id)"
echo "PATCH ${base}/_emulator/objects/catalogs/${partner_id}"
curl -sf --show-error --cacert "$ca" -X PATCH "${base}/_emulator/objects/catalogs/${partner_id}" \
  -H 'Content-Type: application/json' \
  -d '{"displayName":"Renamed outside Terraform","state":"unpublished"}' >/dev/null \
  || fail "the control API refused the out-of-band change"
rc=0
terraform plan -detailed-exitcode -input=false || rc=$?
[[ $rc -eq 2 ]] || fail "expected the plan to show the out-of-band change (exit code 2), got exit code $rc"
echo "OK: Terraform detected the change and plans to put the catalog back"
# Undo it the same way, so that the review below is about the risky change alone.
curl -sf --show-error --cacert "$ca" -X PATCH "${base}/_emulator/objects/catalogs/${partner_id}" \
  -H 'Content-Type: application/json' \
  -d '{"displayName":"Partner onboarding","state":"published"}' >/dev/null \
  || fail "the control API refused to undo the out-of-band change"

step "6/7 reviewing a risky change with entragov-review (planned in a copy, never applied)"
risky="$demo/risky"
mkdir -p "$risky"
cp "$work"/*.tf "$work/terraform.tfstate" "$risky/"
# An override file changes the copy's policy and leaver workflow without editing the demo's configuration.
cat >"$risky/risky_override.tf" <<'OVERRIDE'
resource "entragov_assignment_policy" "fabrikam_consultants" {
  request_approval_settings = { approval_required_for_add = false }
  expiration                = { type = "noExpiration" }
}

resource "entragov_lifecycle_workflow" "fabrikam_leavers" {
  enabled            = false
  scheduling_enabled = false
}
OVERRIDE
cd "$risky"
terraform plan -input=false -no-color -out=risky.tfplan >plan.log 2>&1 || { cat plan.log >&2; fail "terraform plan of the risky change failed"; }
terraform show -json risky.tfplan >risky.json
rc=0
"$root/bin/entragov-review" -format text -fail-on high risky.json || rc=$?
[[ $rc -eq 1 ]] || fail "expected entragov-review to find high-risk changes (exit code 1), got exit code $rc"
grep -q '"rule": "approval-disabled"' <("$root/bin/entragov-review" -format json -fail-on none risky.json) \
  || fail "entragov-review did not report that approval was turned off"
echo "OK: entragov-review exits 1 on high-risk changes; nothing was applied (the plan is .demo/risky/risky.tfplan)"
cd "$work"

step "7/7 rehearsing the next seven months offline: moving the local API's clock forward"
ben="$(terraform output -raw fabrikam_lead_id)"
ben_assignment="$(terraform output -raw fabrikam_lead_assignment_id)"
carla="$(terraform output -raw fabrikam_contractor_id)"
leavers="$(terraform output -raw fabrikam_leavers_workflow_id)"
control() { curl -sf --show-error --cacert "$ca" "$@"; }
now="$(control "${base}/_emulator/clock" | sed -n 's/.*"now":"\([^"]*\)".*/\1/p')"
[[ -n "$now" ]] || fail "the control API did not say what time it is"
carla_leaves="$(date -u -d "${now} + 90 days" +%Y-%m-%dT12:00:00Z)"
echo "PATCH ${base}/_emulator/objects/users/${carla} {\"employeeLeaveDateTime\":\"${carla_leaves}\"}: HR records Carla's last day"
control -X PATCH "${base}/_emulator/objects/users/${carla}" -H 'Content-Type: application/json' \
  -d "{\"employeeLeaveDateTime\":\"${carla_leaves}\"}" >/dev/null || fail "the control API refused Carla's leave date"
echo "POST ${base}/_emulator/clock/advance {\"duration\":\"P181D\"}: Ben's 180 days under the Fabrikam consultants policy run out"
control -X POST "${base}/_emulator/clock/advance" -H 'Content-Type: application/json' -d '{"duration":"P181D"}' >/dev/null \
  || fail "the control API refused to move the clock"
control "${base}/_emulator/objects/assignments/${ben_assignment}" | grep -q '"state":"expired"' \
  || fail "Ben's assignment did not expire after 181 days"
control "${base}/_emulator/objects/users/${ben}" | grep -q '"accountEnabled":false' \
  || fail "Ben was not blocked when his last assignment ended (the settings say blockSignInAndDelete)"
echo "OK: Ben's assignment expired, he left the Project Falcon team, and his account is blocked"
control "${base}/_emulator/audit?format=text" | grep -q "workflowRunCompleted .*${leavers}" \
  || fail "the leaver workflow did not run on Carla's last day"
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" "${base}/_emulator/objects/users/${carla}")"
[[ "$code" == "404" ]] || fail "the leaver workflow did not delete Carla's account on her last day (HTTP $code)"
echo "OK: the leaver workflow ran on Carla's last day (${carla_leaves%%T*}) and deleted her guest account"
echo "POST ${base}/_emulator/clock/advance {\"duration\":\"P30D\"}: the settings delete blocked guests after 30 days"
control -X POST "${base}/_emulator/clock/advance" -H 'Content-Type: application/json' -d '{"duration":"P30D"}' >/dev/null \
  || fail "the control API refused to move the clock"
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" "${base}/_emulator/objects/users/${ben}")"
[[ "$code" == "404" ]] || fail "Ben's account still exists 30 days after he was blocked (HTTP $code)"
echo "OK: Ben's account is deleted. What happened, on the local API's clock (GET ${base}/_emulator/audit?format=text):"
control "${base}/_emulator/audit?format=text"
echo "(The clock does not go back: this configuration now refers to deleted guests. Run make demo again to start over.)"

trap - ERR
cat <<DONE

==> demo finished
The local governance API is still running (pid $(cat "$pidfile"), log .demo/emulator.log).
Stop it with:  make demo-stop

To use it by hand, run Terraform in .demo/work (or your own directory) with:
  export TF_CLI_CONFIG_FILE="$TF_CLI_CONFIG_FILE"
  export SSL_CERT_FILE="$SSL_CERT_FILE"
  export ENTRAGOV_GRAPH_ENDPOINT="$ENTRAGOV_GRAPH_ENDPOINT"
  export ENTRAGOV_LOGIN_ENDPOINT="$ENTRAGOV_LOGIN_ENDPOINT"
  export ENTRAGOV_TENANT_ID="$ENTRAGOV_TENANT_ID"
  export ENTRAGOV_CLIENT_ID="$ENTRAGOV_CLIENT_ID"
  export ENTRAGOV_CLIENT_SECRET="$ENTRAGOV_CLIENT_SECRET"
  cd .demo/work && terraform plan
DONE
