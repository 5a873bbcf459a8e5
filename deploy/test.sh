#!/usr/bin/env bash
# Run every KvmPortal test against real services: installs what is missing
# (Debian packages), starts libvirtd, a private PostgreSQL and the demo VM,
# validates docker-compose.yml, then runs `dotnet test` on the solution.
# Extra arguments go to `dotnet test` (e.g. --filter 'FullyQualifiedName~Libvirt').
# Ends with one line `N passed, M failed[, K skipped]`; exits non-zero when a
# test failed, the run failed, or no test ran at all.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/deploy/lib/common.sh"
source "$ROOT/deploy/lib/libvirt.sh"
source "$ROOT/deploy/lib/postgres.sh"
source "$ROOT/deploy/lib/second-host.sh"

require_root
ensure_packages "${KVMPORTAL_RUN_PACKAGES[@]}" "${KVMPORTAL_TEST_PACKAGES[@]}"
ensure_dotnet
ensure_npm
bash "$ROOT/deploy/check-compose.sh"
bash "$ROOT/deploy/check-deploy.sh"
ensure_libvirtd
ensure_postgres              # exports KVMPORTAL_TEST_DB
ensure_demo_guest            # exports KVMPORTAL_DEMO_KERNEL, KVMPORTAL_DEMO_INITRD
ensure_demo_vm               # the end-to-end tests use the running demo VM; exports KVMPORTAL_DEMO_VM
ensure_second_host           # the migration tests' second libvirt host; exports KVMPORTAL_SECOND_HOST_URI
export KVMPORTAL_LIBVIRT_URI
export KVMPORTAL_CHROMIUM="${KVMPORTAL_CHROMIUM:-/usr/bin/chromium}"
[[ -x "$KVMPORTAL_CHROMIUM" ]] || die "Chromium not found at $KVMPORTAL_CHROMIUM"

install -d -m 0755 "$KVMPORTAL_DATA"
out="$KVMPORTAL_DATA/test-output.txt"
status=0
(cd "$ROOT" && dotnet test "$ROOT/KvmPortal.sln" -c Release --nologo \
    -v quiet --logger "console;verbosity=minimal" "$@") 2>&1 | tee "$out" || status=$?

# Sum the per-project result lines of the VSTest console logger:
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: ...
#   Failed!  - Failed:     1, Passed:    11, Skipped:     0, Total:    12, Duration: ...
read -r passed failed skipped total < <(
    sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$out" | awk '
        /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+, +Total: +[0-9]+/ {
            line = $0
            sub(/.*(Passed|Failed)! +- +/, "", line)
            n = split(line, parts, ",")
            for (i = 1; i <= n; i++) {
                split(parts[i], kv, ":")
                gsub(/ /, "", kv[1]); gsub(/ /, "", kv[2])
                v[kv[1]] += kv[2]
            }
        }
        END { printf "%d %d %d %d\n", v["Passed"], v["Failed"], v["Skipped"], v["Total"] }')

if ((status != 0)); then
    log "dotnet test failed (exit $status); full output in $out"
elif ((total == 0)); then
    log "no test ran (dotnet test found no tests); full output in $out"
    status=1
elif ((failed > 0)); then
    status=1
fi
if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
exit "$status"
