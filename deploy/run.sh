#!/usr/bin/env bash
# Run the KvmPortal dashboard in the foreground against this machine's libvirtd,
# with a running demo VM (kvmportal-demo) and a private PostgreSQL in .data/.
# Installs whatever Debian packages are missing; needs root and the .NET SDK.
#
# Environment (all optional):
#   ConnectionStrings__KvmPortal  database to use as is (no private cluster)
#   KVMPORTAL_DB                  same, the scripts' name for it
#   KVMPORTAL_PG_PORT             port of the private cluster (default 55432)
#   KVMPORTAL_URLS                where the app listens (default http://127.0.0.1:5080)
#   KVMPORTAL_ADMIN_PASSWORD      password of the 'admin' user at first start
#   KVMPORTAL_DEMO_DOMAIN_TYPE    qemu (TCG, default) or kvm for the demo VM
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/deploy/lib/common.sh"
source "$ROOT/deploy/lib/libvirt.sh"
source "$ROOT/deploy/lib/postgres.sh"

require_root
ensure_packages "${KVMPORTAL_RUN_PACKAGES[@]}"
ensure_dotnet
ensure_npm
[[ -f "$ROOT/src/KvmPortal.Web/KvmPortal.Web.csproj" ]] || die "src/KvmPortal.Web is missing from $ROOT"
ensure_libvirtd
if [[ -z "${ConnectionStrings__KvmPortal:-}" ]]; then
    ensure_postgres          # uses KVMPORTAL_DB as is when set
    export ConnectionStrings__KvmPortal="$KVMPORTAL_DB_CONNSTR"
fi
ensure_demo_guest
ensure_demo_vm

export KVMPORTAL_URLS="${KVMPORTAL_URLS:-http://127.0.0.1:5080}"
[[ -z "${KVMPORTAL_ADMIN_PASSWORD:-}" ]] || export KVMPORTAL_ADMIN_PASSWORD
echo "KvmPortal: $KVMPORTAL_URLS (user admin; the password is printed below on first start, or set KVMPORTAL_ADMIN_PASSWORD)"
exec dotnet run --project "$ROOT/src/KvmPortal.Web" -c Release --no-launch-profile
