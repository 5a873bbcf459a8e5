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
#               and the virtio balloon.
# Usage: build-demo-guest.sh [OUTDIR]   (default /var/lib/libvirt/images/kvmportal-demo)
# Cached: does nothing when OUTDIR already holds a build of the same inputs.
set -euo pipefail

OUT="${1:-/var/lib/libvirt/images/kvmportal-demo}"
DI=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64
KERNEL_SRC="$DI/linux"
DI_INITRD="$DI/initrd.gz"
BUSYBOX=/bin/busybox

die() { printf 'build-demo-guest: ERROR: %s\n' "$*" >&2; exit 1; }

[[ -s "$KERNEL_SRC" && -s "$DI_INITRD" ]] || die "$KERNEL_SRC missing: install debian-installer-12-netboot-amd64"
[[ -x "$BUSYBOX" ]] && "$BUSYBOX" --list 2>/dev/null | grep -qx init \
    || die "$BUSYBOX missing or not a full busybox: install busybox-static"
command -v cpio >/dev/null || die "cpio missing: install cpio"
command -v xz >/dev/null || die "xz missing: install xz-utils"

# Cache key: this script + the exact package versions it builds from.
KEY="$( {
    sha256sum "${BASH_SOURCE[0]}"
    dpkg-query -W -f='${Package} ${Version}\n' busybox-static debian-installer-12-netboot-amd64
} | sha256sum | cut -d' ' -f1)"
if [[ -s "$OUT/vmlinuz" && -s "$OUT/vmlinux" && -s "$OUT/initrd.img" && "$(cat "$OUT/.build-key" 2>/dev/null)" == "$KEY" ]]; then
    exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
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
           virtio_balloon failover net_failover virtio_net e1000; do
    [ -f "$m/$mod.ko" ] && insmod "$m/$mod.ko" 2>/dev/null
done
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

# The uncompressed kernel: the XZ stream inside the bzImage (trailing data after
# it makes xz complain, hence the check of the result instead of xz's status).
off="$(LC_ALL=C grep -obUa $'\xfd''7zXZ' "$KERNEL_SRC" | head -n1 | cut -d: -f1)"
[[ -n "$off" ]] || die "no XZ-compressed payload found in $KERNEL_SRC"
tail -c +"$((off + 1))" "$KERNEL_SRC" | xz -dcq >"$WORK/vmlinux" 2>/dev/null || true
[[ "$(head -c 4 "$WORK/vmlinux" | od -An -c | tr -d ' ')" == '177ELF' ]] \
    || die "could not extract the uncompressed kernel from $KERNEL_SRC"

(cd "$R" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) | gzip -9 >"$WORK/initrd.img"

install -d -m 0755 "$OUT"
install -m 0644 "$KERNEL_SRC" "$OUT/vmlinuz.new"
install -m 0644 "$WORK/vmlinux" "$OUT/vmlinux.new"
install -m 0644 "$WORK/initrd.img" "$OUT/initrd.img.new"
mv -f "$OUT/vmlinuz.new" "$OUT/vmlinuz"
mv -f "$OUT/vmlinux.new" "$OUT/vmlinux"
mv -f "$OUT/initrd.img.new" "$OUT/initrd.img"
printf '%s\n' "$KEY" >"$OUT/.build-key"
