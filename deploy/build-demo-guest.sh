#!/usr/bin/env bash
# Build KvmPortal's tiny demo guest from Debian packages only:
#   vmlinuz     the Debian kernel shipped in debian-installer-12-netboot-amd64 (bzImage)
#   vmlinux     the same kernel uncompressed (ELF with a PVH entry note). QEMU boots
#               it directly, skipping the in-guest XZ decompression that takes ~7 s
#               under TCG; this is the one the demo VM and the tests use.
#   initrd.img  a busybox-static initramfs: busybox init with a shell respawned
#               on tty1 (VGA/VNC) and ttyS0 (serial), hostname kvmportal-demo,
#               plus modules taken from the same package's installer initrd (so
#               the kernel matches): bochs DRM (a PVH boot has no VGA text console,
#               so tty1 is drawn by fbcon on the 'vga' device), virtio/e1000 NICs
#               and the virtio balloon. ACPI shutdown/reboot: the ACPI 'button' and
#               'evdev' modules are in neither the kernel nor the installer initrd,
#               so they come from the same kernel's linux-image-KVER package
#               (apt-get download, cached in $KVMPORTAL_DATA/cache/demo-guest);
#               busybox acpid turns the power button into a clean poweroff. When
#               that package cannot be had, the guest is built without it (warning).
# Usage: build-demo-guest.sh [OUTDIR]   (default /var/lib/libvirt/images/kvmportal-demo)
# Cached: does nothing when OUTDIR already holds a build of the same inputs (a
# build that lacks ACPI shutdown retries the download once a day).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$ROOT/deploy/lib/common.sh"   # apt_update_once, KVMPORTAL_DATA

OUT="${1:-/var/lib/libvirt/images/kvmportal-demo}"
CACHE="${KVMPORTAL_DEMO_CACHE:-$KVMPORTAL_DATA/cache/demo-guest}"
DI=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64
KERNEL_SRC="$DI/linux"
DI_INITRD="$DI/initrd.gz"
BUSYBOX=/bin/busybox

die() { printf 'build-demo-guest: ERROR: %s\n' "$*" >&2; exit 1; }
warn() { printf 'build-demo-guest: WARNING: %s\n' "$*" >&2; }

[[ -s "$KERNEL_SRC" && -s "$DI_INITRD" ]] || die "$KERNEL_SRC missing: install debian-installer-12-netboot-amd64"
# grep without -q reads the whole list: with -q it may exit early and, under pipefail, busybox's SIGPIPE fails the test.
[[ -x "$BUSYBOX" ]] && "$BUSYBOX" --list 2>/dev/null | grep -x init >/dev/null \
    || die "$BUSYBOX missing or not a full busybox: install busybox-static"
command -v cpio >/dev/null || die "cpio missing: install cpio"
command -v xz >/dev/null || die "xz missing: install xz-utils"

# Cache key: this script + the exact package versions it builds from.
KEY="$( {
    sha256sum <"${BASH_SOURCE[0]}"   # content only: the same script in another checkout is the same build
    dpkg-query -W -f='${Package} ${Version}\n' busybox-static debian-installer-12-netboot-amd64
} | sha256sum | cut -d' ' -f1)"
if [[ -s "$OUT/vmlinuz" && -s "$OUT/vmlinux" && -s "$OUT/initrd.img" ]]; then
    built="$(cat "$OUT/.build-key" 2>/dev/null || true)"
    [[ "$built" == "$KEY" ]] && exit 0
    # Same inputs but built without ACPI shutdown: retry its download once a day.
    [[ "$built" == "$KEY no-acpi" && -n "$(find "$OUT/.build-key" -mmin -1440 2>/dev/null)" ]] && exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
chmod 0711 "$WORK"   # apt-get download drops root to _apt, which must reach $WORK/dl
R="$WORK/root"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc/init.d,proc,sys,dev,tmp,run,root,var/log,usr/share/udhcpc,lib/modules}
chmod 1777 "$R/tmp"

cp "$BUSYBOX" "$R/bin/busybox"
# /init is what the kernel runs from an initramfs; as a link to busybox it is busybox init.
ln -s bin/busybox "$R/init"
# The applet links themselves (--install -s would write them into the host's /bin).
for applet in $("$BUSYBOX" --list-full); do
    [[ -e "$R/$applet" ]] || ln -s /bin/busybox "$R/$applet"
done

# Kernel modules from the installer initrd of the same package (same kernel build).
(
    cd "$WORK"
    zcat "$DI_INITRD" | cpio -id --quiet \
        'lib/modules/*/kernel/drivers/virtio/*' \
        'lib/modules/*/kernel/drivers/net/virtio_net.ko' \
        'lib/modules/*/kernel/drivers/net/net_failover.ko' \
        'lib/modules/*/kernel/net/core/failover.ko' \
        'lib/modules/*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko' \
        'lib/modules/*/kernel/drivers/gpu/drm/drm.ko' \
        'lib/modules/*/kernel/drivers/gpu/drm/drm_kms_helper.ko' \
        'lib/modules/*/kernel/drivers/gpu/drm/drm_ttm_helper.ko' \
        'lib/modules/*/kernel/drivers/gpu/drm/drm_vram_helper.ko' \
        'lib/modules/*/kernel/drivers/gpu/drm/ttm/ttm.ko' \
        'lib/modules/*/kernel/drivers/gpu/drm/tiny/bochs.ko'
)
KVER="$(ls "$WORK/lib/modules")"
[[ -n "$KVER" && "$KVER" != *$'\n'* ]] || die "could not find the kernel modules in $DI_INITRD"
mkdir -p "$R/lib/modules/$KVER"
find "$WORK/lib/modules/$KVER" -name '*.ko' -exec cp {} "$R/lib/modules/$KVER/" \;

# The uncompressed kernel: the XZ stream inside the bzImage (trailing data after
# it makes xz complain, hence the check of the result instead of xz's status).
off="$( { LC_ALL=C grep -obUa $'\xfd''7zXZ' "$KERNEL_SRC" || true; } | head -n1 | cut -d: -f1)"  # || true: SIGPIPE once head has its line
[[ -n "$off" ]] || die "no XZ-compressed payload found in $KERNEL_SRC"
tail -c +"$((off + 1))" "$KERNEL_SRC" | xz -dcq >"$WORK/vmlinux" 2>/dev/null || true
[[ "$(head -c 4 "$WORK/vmlinux" | od -An -c | tr -d ' ')" == '177ELF' ]] \
    || die "could not extract the uncompressed kernel from $KERNEL_SRC"

# modinfo_field KO FIELD: a field of a module's .modinfo (no kmod needed here).
modinfo_field() { tr '\0' '\n' <"$1" | sed -n "s/^$2=//p" | head -n1; }

# ACPI power button: button.ko (the LNXPWRBN input device) + evdev.ko (its
# /dev/input/event* node, which acpid reads), from the Debian package of this
# very kernel build. fetch_acpi_modules copies them into the initramfs or warns
# and returns 1 (the guest then just ignores ACPI shutdown; never fatal).
ACPI_MODULES=(kernel/drivers/acpi/button.ko kernel/drivers/input/evdev.ko)
fetch_acpi_modules() {
    local banner release debver pkg dir dl deb m f vermagic dep
    # "Linux version 6.1.0-50-amd64 (...) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (...)"
    banner="$(LC_ALL=C grep -a -o -m1 'Linux version [[:print:]]*' "$WORK/vmlinux" | head -n1)"
    release="$(awk '{print $3}' <<<"$banner")"
    debver="$(sed -n 's/.* Debian \([^ ]*\).*/\1/p' <<<"$banner")"
    if [[ "$release" != "$KVER" || -z "$debver" ]]; then
        warn "cannot tell the Debian version of kernel $KVER (banner: '$banner'); building without ACPI shutdown"
        return 1
    fi
    pkg="linux-image-$KVER"
    dir="$CACHE/${pkg}_$debver"
    if ! (for m in "${ACPI_MODULES[@]}"; do [[ -s "$dir/${m##*/}" ]] || exit 1; done); then
        dl="$WORK/dl"
        install -d -m 0700 "$dl"
        chown _apt "$dl" 2>/dev/null || true
        apt_download() {
            (cd "$dl" && DEBIAN_FRONTEND=noninteractive apt-get download -q \
                -o Acquire::Retries=1 -o Acquire::http::Timeout=30 "$pkg=$debver" </dev/null) >>"$WORK/apt.log" 2>&1
        }
        # The package lists may be missing or stale: `apt-get update` once, then retry.
        if ! apt_download && ! { apt_update_once >>"$WORK/apt.log" 2>&1 && apt_download; }; then
            warn "cannot download $pkg=$debver ($(grep -E '^(E|W):' "$WORK/apt.log" | tail -n1)); building without ACPI shutdown"
            return 1
        fi
        deb="$(find "$dl" -name '*.deb' | head -n1)"
        mkdir -p "$WORK/deb"
        if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$WORK/deb" --wildcards "${ACPI_MODULES[@]/#/*/modules/$KVER/}"; then
            warn "$pkg=$debver lacks ${ACPI_MODULES[*]}; building without ACPI shutdown"
            return 1
        fi
        install -d -m 0755 "$dir"
        for m in "${ACPI_MODULES[@]}"; do
            find "$WORK/deb" -path "*/modules/$KVER/$m" -exec cp {} "$dir/" \;
        done
    fi
    for m in "${ACPI_MODULES[@]}"; do
        f="$dir/${m##*/}"
        vermagic="$(modinfo_field "$f" vermagic)"
        if [[ "${vermagic%% *}" != "$KVER" ]]; then
            warn "${m##*/} from $pkg=$debver has vermagic '$vermagic', kernel is '$banner'; building without ACPI shutdown"
            rm -rf "$dir"   # fetched afresh next time
            return 1
        fi
        for dep in $(modinfo_field "$f" depends | tr ',' ' '); do
            [[ -s "$R/lib/modules/$KVER/$dep.ko" ]] && continue
            warn "${m##*/} needs module $dep, which the demo guest lacks; building without ACPI shutdown"
            return 1
        done
    done
    for m in "${ACPI_MODULES[@]}"; do cp "$dir/${m##*/}" "$R/lib/modules/$KVER/"; done
    # busybox acpid maps the power button (KEY_POWER) to /etc/acpi/PWRF/00000080.
    mkdir -p "$R/etc/acpi/PWRF"
    printf '#!/bin/sh\n# ACPI power button (virsh shutdown, and virsh reboot in its default mode): clean poweroff.\nexec /sbin/poweroff\n' \
        >"$R/etc/acpi/PWRF/00000080"
    chmod 0755 "$R/etc/acpi/PWRF/00000080"
}
ACPI=yes
fetch_acpi_modules || ACPI=no

cat >"$R/etc/inittab" <<'EOF'
::sysinit:/etc/init.d/rcS
tty1::respawn:-/bin/sh
ttyS0::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
EOF

cat >"$R/etc/init.d/rcS" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
hostname kvmportal-demo
# Bring hot-plugged vCPUs/memory online (no udev here).
/sbin/kvmportal-online </dev/null >/dev/null 2>&1 &
# Drivers in dependency order; any that does not apply is simply skipped.
# Display first, so tty1 shows up as early as possible.
m=/lib/modules/$(uname -r)
for mod in drm drm_kms_helper ttm drm_ttm_helper drm_vram_helper bochs virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
           virtio_balloon failover net_failover virtio_net e1000 evdev button; do
    [ -f "$m/$mod.ko" ] && insmod "$m/$mod.ko" 2>/dev/null
done
# ACPI power button -> /etc/acpi/PWRF/00000080 (poweroff). acpid opens the
# /dev/input/event* that exist when it starts, hence after evdev + button.
[ -d /sys/module/button ] && [ -x /etc/acpi/PWRF/00000080 ] && acpid -p /run/acpid.pid -l /var/log/acpid.log
ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
    udhcpc -b -q -i eth0 -s /usr/share/udhcpc/default.script >/dev/null 2>&1 &
fi
for t in /dev/tty1 /dev/ttyS0; do
    [ -c $t ] && printf '\nKvmPortal demo guest %s\n\n' "$(uname -r)" >$t 2>/dev/null
done
EOF

cat >"$R/usr/share/udhcpc/default.script" <<'EOF'
#!/bin/sh
# Minimal udhcpc hook: configure $interface from the lease.
case "$1" in
    deconfig)
        ip addr flush dev "$interface"
        ip link set "$interface" up
        ;;
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        for r in $router; do ip route add default via "$r" dev "$interface"; break; done
        : >/etc/resolv.conf
        for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
        ;;
esac
exit 0
EOF

cat >"$R/sbin/kvmportal-online" <<'EOF'
#!/bin/sh
# Online hot-plugged vCPUs and memory blocks (what udev does on real systems;
# this kernel has no uevent helper). Polls once a second, builtins only.
while :; do
    for f in /sys/devices/system/cpu/cpu*/online /sys/devices/system/memory/memory*/online; do
        [ -w "$f" ] && read -r v <"$f" && [ "$v" = 0 ] && echo 1 >"$f"
    done 2>/dev/null
    sleep 1
done
EOF

cat >"$R/etc/profile" <<'EOF'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PS1='\h:\w\$ '
export HOME=/root
cd /root
EOF
printf 'kvmportal-demo\n' >"$R/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
chmod 0755 "$R/etc/init.d/rcS" "$R/usr/share/udhcpc/default.script" "$R/sbin/kvmportal-online"

(cd "$R" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) | gzip -9 >"$WORK/initrd.img"

install -d -m 0755 "$OUT"
install -m 0644 "$KERNEL_SRC" "$OUT/vmlinuz.new"
install -m 0644 "$WORK/vmlinux" "$OUT/vmlinux.new"
install -m 0644 "$WORK/initrd.img" "$OUT/initrd.img.new"
mv -f "$OUT/vmlinuz.new" "$OUT/vmlinuz"
mv -f "$OUT/vmlinux.new" "$OUT/vmlinux"
mv -f "$OUT/initrd.img.new" "$OUT/initrd.img"
if [[ "$ACPI" == yes ]]; then
    printf '%s\n' "$KEY" >"$OUT/.build-key"
else
    printf '%s no-acpi\n' "$KEY" >"$OUT/.build-key"
fi
