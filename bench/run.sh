#!/usr/bin/env bash
# Run a KvmPortal benchmark side by side with its peer and print the figures as ratios.
#   bench/run.sh inventory [--hosts 50] [--vms 100] [--runs 3]
#   bench/run.sh volumes [--mib 1024] [--runs 2] [--binding]   (--binding: also the bare binding, synchronous)
# Starts libvirtd when it is not running (the real qemu:///system host takes part).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/deploy/lib/common.sh"
source "$ROOT/deploy/lib/libvirt.sh"

require_root
ensure_packages "${KVMPORTAL_RUN_PACKAGES[@]}"
ensure_dotnet
ensure_libvirtd
exec dotnet run -c Release --project "$ROOT/bench/KvmPortal.Bench" -- "$@"
