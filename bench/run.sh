#!/usr/bin/env bash
# Run a KvmPortal benchmark side by side with its peer and print the figures as ratios.
#   bench/run.sh inventory [--hosts 50] [--vms 100] [--runs 3]
#   bench/run.sh volumes [--mib 1024] [--runs 5] [--stages [--only TEXT] | --ranges]
#     (upload/download through the service layer vs virsh vol-upload/vol-download, interleaved, median of per-round ratios;
#      --stages: where the time goes, the bare binding step by step; --ranges: download range size, speed vs memory)
#   bench/run.sh console [--runs 3] [--mib 128] [--streams 50] [--upload-mib 64] [--round-trips 1000] [--connects 100] [--idle 200] [--closing 500]
#     (the VNC console proxy vs websockify and socat, in front of a synthetic VNC server on a libvirt test-driver host; starts PostgreSQL)
#   bench/run.sh usage-write [--vms 1000] [--intervals 30]
#     (the usage recorder's batched write of one interval vs one INSERT per row; starts PostgreSQL)
#   bench/run.sh circuits [--hosts 50] [--vms 100] [--circuits 200] [--changes 20] [--renders 5] [--parallelism 8] [--server-log Debug]
#     (200 headless Blazor circuits on /vms, run from a child process: change latency and server memory per circuit;
#      first render in Chromium; --server-log sets the log level of SignalR, Blazor Server and Kestrel's connections; starts PostgreSQL)
#   bench/run.sh load [--circuits 100] [--consoles 20] [--minutes 10]
#     (soak: the app as its own process with circuits on /vms and consoles of the demo VM; errors and memory slope;
#      starts PostgreSQL and the demo VM)
#   bench/run.sh usage-queries [--vms 1000] [--days 30] [--team-vms 200] [--runs 7] [--keep]
#     (month chart and team report vs the same figures summed from 5-minute buckets; starts PostgreSQL)
# Starts libvirtd when it is not running (the real qemu:///system host takes part).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/deploy/lib/common.sh"
source "$ROOT/deploy/lib/libvirt.sh"

require_root
ensure_packages "${KVMPORTAL_RUN_PACKAGES[@]}"
ensure_dotnet
ensure_libvirtd
if [[ "${1:-}" == console || "${1:-}" == load ]]; then
    source "$ROOT/deploy/lib/postgres.sh"
    ensure_packages "${KVMPORTAL_BENCH_PACKAGES[@]}"
    ensure_postgres
fi
if [[ "${1:-}" == usage-write || "${1:-}" == usage-queries || "${1:-}" == circuits ]]; then
    source "$ROOT/deploy/lib/postgres.sh"
    ensure_postgres
fi
exec dotnet run -c Release --project "$ROOT/bench/KvmPortal.Bench" -- "$@"
