# shellcheck shell=bash
# A second libvirt host on this machine, for the migration tests. Sourced after
# deploy/lib/common.sh; also runnable: `bash deploy/lib/second-host.sh start|stop|status`.
#
# It is a second libvirtd in its own network namespace (reached over a veth pair:
# 10.251.0.1 here, 10.251.0.2 there), its own mount namespace (private bind mounts
# over libvirt's runtime, state, config, log and cache folders, all kept under
# KVMPORTAL_HOST2_DIR) and its own UTS namespace (hostname kvmportal-host2), with
# its own host UUID. The main libvirtd is never touched. /var/lib/libvirt/images is
# the same folder on both hosts (the pool "default" there), so migration needs no
# storage copy. It listens on the veth address only: plain TCP without authentication
# (qemu+tcp://10.251.0.2/system) and TLS with certificates of a CA of its own, client
# certificate required (qemu+tls://10.251.0.2/system?pkipath=KVMPORTAL_HOST2_DIR/pki/client).

KVMPORTAL_HOST2_NETNS="${KVMPORTAL_HOST2_NETNS:-kvmportal-host2}"
KVMPORTAL_HOST2_DIR="${KVMPORTAL_HOST2_DIR:-/var/lib/kvmportal-host2}"
KVMPORTAL_HOST2_HOST_ADDR="${KVMPORTAL_HOST2_HOST_ADDR:-10.251.0.1}"
KVMPORTAL_HOST2_ADDR="${KVMPORTAL_HOST2_ADDR:-10.251.0.2}"
KVMPORTAL_HOST2_URI="qemu+tcp://$KVMPORTAL_HOST2_ADDR/system"
# The same host over TLS (port 16514), with the client certificate made by _host2_pki.
KVMPORTAL_HOST2_TLS_URI="qemu+tls://$KVMPORTAL_HOST2_ADDR/system?pkipath=$KVMPORTAL_HOST2_DIR/pki/client"

# Folders the second libvirtd gets its own copy of (everything libvirtd and its
# QEMU driver write or read as configuration); /var/run is a link to /run here.
_HOST2_PRIVATE_DIRS=(/run/libvirt /var/lib/libvirt /etc/libvirt /var/log/libvirt /var/cache/libvirt)
_HOST2_VETH="kvmp-h2"

_host2_virsh() { timeout 20 virsh -q -c "$KVMPORTAL_HOST2_URI" "$@"; }

second_host_answers() { _host2_virsh version >/dev/null 2>&1; }

_host2_pid() {
    local pid
    pid="$(cat "$KVMPORTAL_HOST2_DIR/libvirtd.pid" 2>/dev/null)" || return 1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

# _host2_network: the namespace and the veth pair (idempotent).
_host2_network() {
    ip netns list | grep -qw "^$KVMPORTAL_HOST2_NETNS" || ip netns add "$KVMPORTAL_HOST2_NETNS" \
        || die "cannot create network namespace $KVMPORTAL_HOST2_NETNS"
    if ! ip link show "$_HOST2_VETH" >/dev/null 2>&1; then
        ip link add "$_HOST2_VETH" type veth peer name eth0 netns "$KVMPORTAL_HOST2_NETNS" \
            || die "cannot create veth pair $_HOST2_VETH"
    fi
    ip addr replace "$KVMPORTAL_HOST2_HOST_ADDR/30" dev "$_HOST2_VETH"
    ip link set "$_HOST2_VETH" up
    ip -n "$KVMPORTAL_HOST2_NETNS" addr replace "$KVMPORTAL_HOST2_ADDR/30" dev eth0
    ip -n "$KVMPORTAL_HOST2_NETNS" link set eth0 up
    ip -n "$KVMPORTAL_HOST2_NETNS" link set lo up
}

# _host2_pki: a CA of its own, the server's certificate (for its address) and a client
# certificate, made once with openssl. The client's folder is a libvirt pkipath
# (cacert.pem, clientcert.pem, clientkey.pem); nothing goes to /etc/pki.
_host2_pki() {
    local pki="$KVMPORTAL_HOST2_DIR/pki"
    [[ -s "$pki/client/clientkey.pem" ]] && return 0
    command -v openssl >/dev/null || die "the second host's TLS certificates need openssl"
    install -d -m 0700 "$pki" "$pki/server" "$pki/client"
    run_quiet "making the second host's CA" openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
        -subj "/CN=KvmPortal test CA" -keyout "$pki/cakey.pem" -out "$pki/cacert.pem"
    _host2_certificate server "/CN=$KVMPORTAL_HOST2_ADDR" \
        "subjectAltName=IP:$KVMPORTAL_HOST2_ADDR
extendedKeyUsage=serverAuth
keyUsage=digitalSignature,keyEncipherment"
    _host2_certificate client "/CN=kvmportal-test-client" \
        "extendedKeyUsage=clientAuth
keyUsage=digitalSignature,keyEncipherment"
    cp "$pki/cacert.pem" "$pki/server/cacert.pem"
    cp "$pki/cacert.pem" "$pki/client/cacert.pem"
}

# _host2_certificate server|client SUBJECT EXTENSIONS: a key and a certificate signed by the test CA.
_host2_certificate() {
    local kind="$1" subject="$2" extensions="$3" pki="$KVMPORTAL_HOST2_DIR/pki"
    printf '%s\n' "$extensions" >"$pki/$kind.ext"
    run_quiet "making the second host's $kind key" openssl req -newkey rsa:2048 -nodes -subj "$subject" \
        -keyout "$pki/$kind/${kind}key.pem" -out "$pki/$kind.csr"
    run_quiet "signing the second host's $kind certificate" openssl x509 -req -days 3650 -in "$pki/$kind.csr" \
        -CA "$pki/cacert.pem" -CAkey "$pki/cakey.pem" -CAcreateserial -extfile "$pki/$kind.ext" \
        -out "$pki/$kind/${kind}cert.pem"
    rm -f "$pki/$kind.csr" "$pki/$kind.ext"
}

# _host2_config: fresh libvirtd.conf and qemu.conf in the instance's /etc/libvirt.
_host2_config() {
    local etc="$KVMPORTAL_HOST2_DIR/root/etc/libvirt" uuid_file="$KVMPORTAL_HOST2_DIR/host-uuid"
    [[ -s "$uuid_file" ]] || cat /proc/sys/kernel/random/uuid >"$uuid_file"
    install -d -m 0755 "$etc" "$etc/qemu" "$etc/storage" "$etc/secrets"
    cat >"$etc/libvirtd.conf" <<CONF
# Written by deploy/lib/second-host.sh: the second test host.
listen_tls = 1
listen_tcp = 1
listen_addr = "$KVMPORTAL_HOST2_ADDR"
auth_tcp = "none"
auth_tls = "none"
ca_file = "$KVMPORTAL_HOST2_DIR/pki/server/cacert.pem"
cert_file = "$KVMPORTAL_HOST2_DIR/pki/server/servercert.pem"
key_file = "$KVMPORTAL_HOST2_DIR/pki/server/serverkey.pem"
auth_unix_rw = "none"
host_uuid = "$(cat "$uuid_file")"
CONF
    # stdio_handler "file": QEMU logs without the main host's virtlogd. No cgroups:
    # both daemons would otherwise name their guests' cgroups alike.
    cat >"$etc/qemu.conf" <<CONF
# Written by deploy/lib/second-host.sh: the second test host.
stdio_handler = "file"
cgroup_controllers = [ ]
security_driver = "none"
CONF
}

# _host2_folders: the per-instance copies of libvirt's folders, and the images
# folder shared with the main host.
_host2_folders() {
    local dir
    for dir in "${_HOST2_PRIVATE_DIRS[@]}"; do
        install -d -m 0755 "$KVMPORTAL_HOST2_DIR/root$dir"
    done
    install -d -m 0711 /var/lib/libvirt/images "$KVMPORTAL_HOST2_DIR/root/var/lib/libvirt/images"
    install -d -m 0755 "$KVMPORTAL_HOST2_DIR/root/var/lib/libvirt/qemu" "$KVMPORTAL_HOST2_DIR/root/var/log/libvirt/qemu"
}

# _host2_launch: libvirtd inside the network namespace and a new mount + UTS namespace.
_host2_launch() {
    local inst="$KVMPORTAL_HOST2_DIR/root" mounts="" dir
    # The images folder is bound into the instance first, so the recursive bind of
    # /var/lib/libvirt below carries it along.
    mounts+="mount --bind /var/lib/libvirt/images '$inst/var/lib/libvirt/images' && "
    for dir in "${_HOST2_PRIVATE_DIRS[@]}"; do
        mounts+="mount --rbind '$inst$dir' '$dir' && "
    done
    ip netns exec "$KVMPORTAL_HOST2_NETNS" unshare --mount --uts --propagation private \
        sh -c "$mounts hostname kvmportal-host2 && exec libvirtd -d -l \
            -f /etc/libvirt/libvirtd.conf -p '$KVMPORTAL_HOST2_DIR/libvirtd.pid'" \
        >"$KVMPORTAL_HOST2_DIR/launch.log" 2>&1 \
        || { cat "$KVMPORTAL_HOST2_DIR/launch.log" >&2; die "the second libvirtd did not start"; }
}

# _host2_pool: the pool "default" over the shared images folder.
_host2_pool() {
    if ! _host2_virsh pool-info default >/dev/null 2>&1; then
        _host2_virsh pool-define-as default dir --target /var/lib/libvirt/images >/dev/null \
            || die "cannot define pool default on the second host"
        _host2_virsh pool-autostart default >/dev/null || true
    fi
    [[ "$(_host2_virsh pool-info default 2>/dev/null | awk '/^State:/ {print $2}')" == running ]] \
        || _host2_virsh pool-start default >/dev/null || die "cannot start pool default on the second host"
}

# ensure_second_host: start the second host unless it answers; export its URI.
ensure_second_host() {
    require_root
    command -v ip >/dev/null && command -v unshare >/dev/null || die "the second host needs iproute2 and util-linux"
    local started=$SECONDS
    _host2_network
    if ! second_host_answers; then
        if _host2_pid >/dev/null; then
            log "second libvirtd (pid $(_host2_pid)) does not answer; restarting it"
            kill "$(_host2_pid)" || true
            wait_until 20 "the second libvirtd to stop" sh -c "! kill -0 $(_host2_pid || echo 0)" || true
        fi
        log "starting the second libvirt host ($KVMPORTAL_HOST2_URI)"
        _host2_folders
        _host2_pki
        _host2_config
        _host2_launch
        wait_until 60 "the second libvirtd to answer on $KVMPORTAL_HOST2_URI" second_host_answers \
            || die "the second libvirtd does not answer on $KVMPORTAL_HOST2_URI (log: $KVMPORTAL_HOST2_DIR/root/var/log/libvirt)"
        log "second libvirt host up in $((SECONDS - started)) s"
    fi
    _host2_pool
    export KVMPORTAL_SECOND_HOST_URI="$KVMPORTAL_HOST2_URI"
    export KVMPORTAL_SECOND_HOST_TLS_URI="$KVMPORTAL_HOST2_TLS_URI"
}

# stop_second_host: destroy its guests, stop its libvirtd, remove the namespace.
stop_second_host() {
    require_root
    local name pid
    if second_host_answers; then
        while read -r name; do
            [[ -n "$name" ]] && _host2_virsh destroy "$name" >/dev/null 2>&1 || true
        done < <(_host2_virsh list --name 2>/dev/null)
    fi
    if pid="$(_host2_pid)"; then
        kill "$pid"
        wait_until 20 "the second libvirtd to stop" sh -c "! kill -0 $pid" || kill -9 "$pid" || true
    fi
    ip link del "$_HOST2_VETH" 2>/dev/null || true
    ip netns del "$KVMPORTAL_HOST2_NETNS" 2>/dev/null || true
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    source "$ROOT/deploy/lib/common.sh"
    case "${1:-}" in
        start) ensure_second_host; echo "$KVMPORTAL_SECOND_HOST_URI"; echo "$KVMPORTAL_SECOND_HOST_TLS_URI" ;;
        stop) stop_second_host ;;
        status) if second_host_answers; then echo "up: $KVMPORTAL_HOST2_URI"; else echo down; exit 1; fi ;;
        *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
    esac
fi
