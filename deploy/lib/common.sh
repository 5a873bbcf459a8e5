# shellcheck shell=bash
# Shared helpers for KvmPortal's dev/deploy scripts. Sourced, never run.
#
# The sourcing script sets ROOT (the repository root) before sourcing this file:
#   ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
#
# Conventions: quiet on success (one line when something is actually done),
# loud on failure (message on stderr + non-zero exit via die).

: "${ROOT:?ROOT must be set to the repository root before sourcing deploy/lib/common.sh}"

KVMPORTAL_DATA="${KVMPORTAL_DATA:-$ROOT/.data}"

log() { printf 'kvmportal: %s\n' "$*" >&2; }
die() { printf 'kvmportal: ERROR: %s\n' "$*" >&2; exit 1; }

# run_quiet DESCRIPTION CMD...: run CMD with its output captured; show the
# output only if it fails, then die with DESCRIPTION.
run_quiet() {
    local desc="$1"; shift
    local out
    out="$(mktemp)"
    if ! "$@" >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        die "$desc failed (command: $*)"
    fi
    rm -f "$out"
}

require_root() {
    [[ "$(id -u)" == 0 ]] || die "this script must run as root (it installs packages and starts libvirtd)"
}

# Packages the dashboard needs at run time on this host (Debian 12 names).
# libvirt-dev is deliberately absent: the binding loads libvirt.so.0 from libvirt0.
KVMPORTAL_RUN_PACKAGES=(
    libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu
    qemu-system-x86 qemu-utils ovmf dnsmasq-base
    busybox-static cpio xz-utils debian-installer-12-netboot-amd64
    postgresql-15 postgresql-client-15 procps osinfo-db
)
# Extra packages for the test suite: Chromium for Playwright (fonts-liberation
# gives pages metric-compatible sans/serif fonts; fontconfig alone may leave
# none with --no-install-recommends), docker-compose to validate the compose file,
# iproute2 for the second libvirt host's network namespace (deploy/lib/second-host.sh),
# openssh-server and openssh-client for the qemu+ssh tests (they start their own sshd on a
# loopback port with generated keys; ssh-keygen comes with the client).
KVMPORTAL_TEST_PACKAGES=(chromium fonts-liberation docker-compose nginx openssl iproute2 openssh-server openssh-client)
# The console benchmark's peers: websockify (numpy makes its unmasking fast, as deployed) and socat, the floor.
KVMPORTAL_BENCH_PACKAGES=(websockify python3-numpy socat)

_KVMPORTAL_APT_UPDATED=0

# apt_update_once: `apt-get update`, at most once per script run. Returns its
# status instead of dying (callers decide); shows apt's output only on failure.
apt_update_once() {
    ((_KVMPORTAL_APT_UPDATED == 0)) || return 0
    local out
    out="$(mktemp)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get update </dev/null >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        return 1
    fi
    rm -f "$out"
    _KVMPORTAL_APT_UPDATED=1
}

# ensure_packages PKG...: install whichever of PKG are not installed.
ensure_packages() {
    local missing=() pkg status
    for pkg in "$@"; do
        status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == installed ]] || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    require_root
    log "installing missing packages: ${missing[*]}"
    apt_update_once || die "apt-get update failed"
    run_quiet "installing ${missing[*]}" \
        env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# ensure_dotnet: the .NET SDK is not a Debian package; it must already be there.
ensure_dotnet() {
    local want
    want="$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/global.json" 2>/dev/null | head -n1)"
    command -v dotnet >/dev/null 2>&1 \
        || die "the .NET SDK is not installed (need ${want:-10.0}, see global.json); install it and put 'dotnet' on PATH"
    (cd "$ROOT" && dotnet --version >/dev/null 2>&1) \
        || die "'dotnet --version' fails in $ROOT: the SDK pinned in global.json (${want:-?}) is probably missing; installed: $(dotnet --list-sdks 2>/dev/null | tr '\n' ' ')"
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# ensure_npm: the web build installs noVNC and xterm.js from npm (wwwroot-assets); Debian's
# nodejs and npm serve when the machine has no Node.js of its own.
ensure_npm() {
    command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
    npm --version >/dev/null 2>&1 || die "npm does not run; the web build needs it for wwwroot-assets"
}

# wait_until TIMEOUT_SECONDS DESCRIPTION CMD...: poll CMD every 0.2 s until it
# succeeds; return 1 on timeout (the caller decides how to fail).
wait_until() {
    local timeout="$1" desc="$2"; shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            log "timed out after ${timeout}s waiting for: $desc"
            return 1
        fi
        sleep 0.2
    done
}
