# shellcheck shell=bash
# libvirtd and the demo VM. Sourced after deploy/lib/common.sh.

KVMPORTAL_LIBVIRT_URI="${KVMPORTAL_LIBVIRT_URI:-qemu:///system}"
KVMPORTAL_DEMO_NAME="${KVMPORTAL_DEMO_NAME:-kvmportal-demo}"
KVMPORTAL_DEMO_DIR="${KVMPORTAL_DEMO_DIR:-/var/lib/libvirt/images/kvmportal-demo}"

_virsh() { virsh -q -c "$KVMPORTAL_LIBVIRT_URI" "$@"; }

# ensure_libvirtd: /dev/kvm usable by the qemu user, virtlogd + libvirtd
# running (no systemd here: started as daemons), and qemu:///system answering.
ensure_libvirtd() {
    require_root
    # libvirt runs QEMU as libvirt-qemu (group kvm). /dev/kvm is root-only on
    # these machines; give the kvm group access (leave it alone if it already works).
    if [[ -e /dev/kvm ]] && ! runuser -u libvirt-qemu -- test -r /dev/kvm -a -w /dev/kvm 2>/dev/null; then
        chgrp kvm /dev/kvm && chmod g+rw /dev/kvm \
            || die "cannot give group kvm access to /dev/kvm"
    fi
    # QEMU (as libvirt-qemu) must be able to reach the kernel/initrd of guests.
    install -d -m 0711 /var/lib/libvirt/images

    if ! pgrep -x virtlogd >/dev/null; then
        log "starting virtlogd"
        virtlogd -d || die "virtlogd failed to start"
    fi
    # By its pid file: the second test host (deploy/lib/second-host.sh) runs another libvirtd.
    if ! pgrep -x -F /run/libvirtd.pid libvirtd >/dev/null 2>&1; then
        log "starting libvirtd"
        libvirtd -d || die "libvirtd failed to start"
    fi
    wait_until 60 "libvirtd to answer on $KVMPORTAL_LIBVIRT_URI" \
        timeout 10 virsh -c "$KVMPORTAL_LIBVIRT_URI" version \
        || die "libvirtd does not answer on $KVMPORTAL_LIBVIRT_URI (is it running? try: virsh -c $KVMPORTAL_LIBVIRT_URI version)"
    # Nothing here needs libvirt's 'default' NAT network (the demo VM has no
    # NIC), so it is neither started nor required: in containers it often
    # cannot create its bridge.
}

# ensure_demo_guest: build (cached by content) the demo kernel + initramfs and
# export KVMPORTAL_DEMO_KERNEL (the uncompressed vmlinux: QEMU boots it through
# its PVH entry, ~7 s faster under TCG than the bzImage, which stays beside it
# as vmlinuz) and KVMPORTAL_DEMO_INITRD.
ensure_demo_guest() {
    require_root
    # Quiet like run_quiet, but its warnings (e.g. built without ACPI shutdown) are shown.
    local out
    out="$(mktemp)"
    if ! bash "$ROOT/deploy/build-demo-guest.sh" "$KVMPORTAL_DEMO_DIR" </dev/null >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        die "building the demo guest failed (command: bash $ROOT/deploy/build-demo-guest.sh $KVMPORTAL_DEMO_DIR)"
    fi
    grep '^build-demo-guest: WARNING' "$out" >&2 || true
    rm -f "$out"
    export KVMPORTAL_DEMO_KERNEL="$KVMPORTAL_DEMO_DIR/vmlinux"
    export KVMPORTAL_DEMO_INITRD="$KVMPORTAL_DEMO_DIR/initrd.img"
    [[ -s "$KVMPORTAL_DEMO_KERNEL" && -s "$KVMPORTAL_DEMO_INITRD" ]] \
        || die "demo guest build left no kernel/initrd in $KVMPORTAL_DEMO_DIR"
}

# demo_vm_xml [UUID]: print the demo domain XML (deploy/demo-vm.xml with its
# @TOKENS@ replaced; the values are our own names and paths, no user input).
# UUID (of the existing domain) is needed to redefine it.
demo_vm_xml() {
    local uuid="${1:-}" uuid_sed=()
    [[ -z "$uuid" ]] || uuid_sed=(-e "s|^\( *\)<name>.*</name>|&\n\1<uuid>$uuid</uuid>|")
    # TCG ('qemu') by default: nested KVM on our build machines boots firmware
    # but hangs Linux guests early, while TCG boots this guest in seconds.
    # Real hosts with working KVM: KVMPORTAL_DEMO_DOMAIN_TYPE=kvm.
    local type="${KVMPORTAL_DEMO_DOMAIN_TYPE:-qemu}"
    [[ "$type" == qemu || "$type" == kvm ]] || die "KVMPORTAL_DEMO_DOMAIN_TYPE must be 'qemu' or 'kvm', not '$type'"
    sed -e "s|@NAME@|$KVMPORTAL_DEMO_NAME|g" \
        -e "s|@TYPE@|$type|g" \
        -e "s|@KERNEL@|$KVMPORTAL_DEMO_DIR/vmlinux|g" \
        -e "s|@INITRD@|$KVMPORTAL_DEMO_DIR/initrd.img|g" \
        "${uuid_sed[@]}" "$ROOT/deploy/demo-vm.xml"
}

# ensure_demo_vm: define the demo domain (again when deploy/demo-vm.xml or
# its values changed since we last defined it, else leave user edits alone)
# and start it if it is not running.
ensure_demo_vm() {
    require_root
    local xml hash uuid stamp="$KVMPORTAL_DEMO_DIR/.domain-xml.sha256"
    [[ -s "$KVMPORTAL_DEMO_DIR/vmlinux" ]] || ensure_demo_guest
    hash="$(demo_vm_xml | sha256sum | cut -d' ' -f1)"
    uuid="$(_virsh domuuid "$KVMPORTAL_DEMO_NAME" 2>/dev/null)" || uuid=""
    if [[ -z "$uuid" || "$(cat "$stamp" 2>/dev/null)" != "$hash" ]]; then
        xml="$(mktemp)"
        demo_vm_xml "$uuid" >"$xml"
        run_quiet "defining domain $KVMPORTAL_DEMO_NAME" _virsh define "$xml"
        rm -f "$xml"
        printf '%s\n' "$hash" >"$stamp"
        if [[ -n "$uuid" && "$(_virsh domstate "$KVMPORTAL_DEMO_NAME" 2>/dev/null)" == running ]]; then
            log "updated the definition of $KVMPORTAL_DEMO_NAME; it applies at its next start (virsh destroy $KVMPORTAL_DEMO_NAME to restart it now)"
        fi
    fi
    if [[ "$(_virsh domstate "$KVMPORTAL_DEMO_NAME" 2>/dev/null)" != running ]]; then
        log "starting demo VM $KVMPORTAL_DEMO_NAME"
        run_quiet "starting domain $KVMPORTAL_DEMO_NAME" _virsh start "$KVMPORTAL_DEMO_NAME"
    fi
    export KVMPORTAL_DEMO_VM="$KVMPORTAL_DEMO_NAME"
}

# check_demo_serial [TIMEOUT]: prove a shell answers on the demo VM's ttyS0.
# Writes `echo kvmportal-serial-$((N+1))` to the serial pty and waits for the
# evaluated result (N+1) to come back, so the echo of our own input never
# matches. Retries until TIMEOUT (default 30 s) so it also covers boot time.
# Don't run it while something else (virsh console, the app) reads the pty.
check_demo_serial() {
    local timeout="${1:-30}" pty n fd deadline
    pty="$(_virsh ttyconsole "$KVMPORTAL_DEMO_NAME" 2>/dev/null)" || true
    [[ -n "$pty" && -c "$pty" ]] || { log "demo VM $KVMPORTAL_DEMO_NAME has no serial pty (is it running?)"; return 1; }
    n=$((RANDOM * 1000 + RANDOM))
    exec {fd}<>"$pty"
    stty -F "$pty" raw -echo 2>/dev/null || true
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        printf '\recho kvmportal-serial-$((%d+1))\r' "$n" >&"$fd"
        if timeout 2 grep -a -q -m1 "kvmportal-serial-$((n + 1))" <&"$fd"; then
            exec {fd}>&-
            return 0
        fi
    done
    exec {fd}>&-
    log "no shell answered on $pty (ttyS0 of $KVMPORTAL_DEMO_NAME) within ${timeout}s"
    return 1
}

# check_demo_tty1 [TIMEOUT]: prove a shell answers on the demo VM's tty1 (the
# VGA/VNC screen): type a command with `virsh send-key` that writes a marker to
# ttyS0, then read the serial as check_demo_serial does.
check_demo_tty1() {
    local timeout="${1:-30}" pty n fd deadline cmd keys=() ch i
    pty="$(_virsh ttyconsole "$KVMPORTAL_DEMO_NAME" 2>/dev/null)" || true
    [[ -n "$pty" && -c "$pty" ]] || { log "demo VM $KVMPORTAL_DEMO_NAME has no serial pty (is it running?)"; return 1; }
    n=$((RANDOM % 9 + 1))
    # Only letters, digits, space, '-', '>' and '/' are typed (keymap-independent on a plain US console).
    cmd="echo tty1-ok-$n-$n >/dev/ttyS0"
    for ((i = 0; i < ${#cmd}; i++)); do
        ch="${cmd:i:1}"
        case "$ch" in
            [a-z]) keys+=("KEY_${ch^^}") ;;
            [0-9]) keys+=("KEY_$ch") ;;
            ' ') keys+=(KEY_SPACE) ;;
            -) keys+=(KEY_MINUS) ;;
            /) keys+=(KEY_SLASH) ;;
            '>') keys+=("KEY_LEFTSHIFT KEY_DOT") ;;
            S) keys+=("KEY_LEFTSHIFT KEY_S") ;;
            *) die "check_demo_tty1: cannot type '$ch'" ;;
        esac
    done
    keys+=(KEY_ENTER)
    exec {fd}<>"$pty"
    stty -F "$pty" raw -echo 2>/dev/null || true
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        _virsh send-key "$KVMPORTAL_DEMO_NAME" KEY_ENTER >/dev/null 2>&1 || true
        for ch in "${keys[@]}"; do
            # shellcheck disable=SC2086 # "KEY_LEFTSHIFT KEY_DOT" is one chord
            _virsh send-key "$KVMPORTAL_DEMO_NAME" $ch >/dev/null 2>&1 || break
        done
        if timeout 3 grep -a -q -m1 "tty1-ok-$n-$n" <&"$fd"; then
            exec {fd}>&-
            return 0
        fi
    done
    exec {fd}>&-
    log "no shell answered on tty1 of $KVMPORTAL_DEMO_NAME within ${timeout}s"
    return 1
}
