#!/usr/bin/env bash
# Validate deploy/nginx-kvmportal.conf (`nginx -t` inside a throw-away wrapper
# config, with a self-signed certificate made here) and deploy/kvmportal.service
# (`systemd-analyze verify`, when systemd-analyze is available).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/deploy/lib/common.sh"

ensure_packages nginx openssl
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=kvmportal.test" \
    -keyout "$work/kvmportal.key" -out "$work/kvmportal.crt" 2>/dev/null
sed "s#/etc/kvmportal/tls/#$work/#g" "$ROOT/deploy/nginx-kvmportal.conf" > "$work/site.conf"
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    include $work/site.conf;
}
CONF
nginx -t -q -p "$work" -e "$work/error.log" -c "$work/nginx.conf" \
    || die "deploy/nginx-kvmportal.conf is not valid"

if command -v systemd-analyze >/dev/null; then
    # The unit names the installed layout (/usr/bin/dotnet); verify it against this machine's dotnet if elsewhere.
    dotnet_path="$(command -v dotnet || true)"
    sed "s#^ExecStart=/usr/bin/dotnet #ExecStart=${dotnet_path:-/usr/bin/dotnet} #" \
        "$ROOT/deploy/kvmportal.service" > "$work/kvmportal.service"
    out="$(systemd-analyze verify "$work/kvmportal.service" 2>&1)" \
        || { printf '%s\n' "$out" >&2; die "deploy/kvmportal.service is not valid"; }
    # verify also reports problems of other units on this machine; show only ours.
    grep -F 'kvmportal.service' <<<"$out" >&2 && die "deploy/kvmportal.service has warnings" || true
fi
echo "deploy/nginx-kvmportal.conf and deploy/kvmportal.service are valid"
