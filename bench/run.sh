#!/usr/bin/env bash
# Run a KvmPortal benchmark side by side with its peer and print the figures as ratios.
#   bench/run.sh inventory [--hosts 50] [--vms 100] [--runs 3]
#   bench/run.sh volumes [--mib 1024] [--runs 5] [--stages [--only TEXT] | --ranges]
#     (upload/download through the service layer vs virsh vol-upload/vol-download, interleaved, median of per-round ratios;
#      --stages: where the time goes, the bare binding step by step; --ranges: download range size, speed vs memory)
#   bench/run.sh console [--runs 3] [--frames 60] [--round-trips 500] [--connects 20]
#     (the VNC console proxy vs websockify on the demo VM's VNC server; starts PostgreSQL and the demo VM)
#   bench/run.sh usage-write [--vms 1000] [--intervals 30]
#     (the usage recorder's batched write of one interval vs one INSERT per row; starts PostgreSQL)
#   bench/run.sh circuits [--hosts 50] [--vms 100] [--circuits 200] [--changes 20] [--renders 5]
#     (200 headless Blazor circuits on /vms: change latency and memory per circuit; first render in Chromium; starts PostgreSQL)
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
if [[ "${1:-}" == console ]]; then
    source "$ROOT/deploy/lib/postgres.sh"
    ensure_packages websockify
    ensure_postgres
    ensure_demo_vm
fi
if [[ "${1:-}" == usage-write || "${1:-}" == usage-queries || "${1:-}" == circuits ]]; then
    source "$ROOT/deploy/lib/postgres.sh"
    ensure_postgres
fi
exec dotnet run -c Release --project "$ROOT/bench/KvmPortal.Bench" -- "$@"
