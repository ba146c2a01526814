#!/bin/bash
# setup-virtiofs.sh TAG MOUNTPOINT BINDIR: mount the virtio-fs share TAG (the host's shared
# directory) at MOUNTPOINT with -o dax=always, and prove that DAX is active (/proc/mounts and
# BINDIR/daxcheck). Exit 0 when it is. Exit 3, with "no DAX window: ..." on stderr and nothing left
# mounted, when the kernel refused dax=always because the device has no DAX window (a QEMU whose
# vhost-user-fs-pci has no cache-size). Any other failure exits 1 with a message on stderr.
set -euo pipefail

die() { echo "setup-virtiofs: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: setup-virtiofs.sh TAG MOUNTPOINT BINDIR"
TAG=$1 MNT=$2 BIN=$3
[[ $TAG =~ ^[A-Za-z0-9._-]+$ ]] || die "TAG must be made of [A-Za-z0-9._-], got '$TAG'"
[[ $MNT =~ ^/[A-Za-z0-9._/-]+$ && $MNT != / ]] \
  || die "MOUNTPOINT must be an absolute path of [A-Za-z0-9._/-], got '$MNT'"
MNT=${MNT%/}
[ -x "$BIN/daxcheck" ] || die "$BIN/daxcheck is missing or not executable"
grep -qw virtiofs /proc/filesystems || die "the kernel has no virtio-fs (CONFIG_VIRTIO_FS)"

is_mounted() { awk -v m="$1" '$2 == m { found = 1 } END { exit !found }' /proc/mounts; }
if is_mounted "$MNT"; then
  umount "$MNT" || die "cannot unmount $MNT"
fi
mkdir -p "$MNT"

if ! ERR=$(mount -t virtiofs -o dax=always "$TAG" "$MNT" 2>&1); then
  # One line: the reason is read from the last line of stderr.
  ERR=$(printf '%s' "$ERR" | tr -s '\n\t ' '   ')
  # 6.12 fs/fuse/virtio_fs.c: virtio_fs_fill_super refuses dax=always with -EINVAL when the device
  # has no dax_dev; with CONFIG_FUSE_DAX, virtio_fs_setup_dax logged at probe that the device has
  # no cache (DAX window) region.
  if dmesg | grep -q 'virtio_fs_setup_dax: No cache capability'; then
    # The kernel's own words for the refusal, when it logged them; else mount's.
    KLINE=$(dmesg | grep -o "virtio-fs: dax can't be enabled.*" | tail -n 1)
    echo "no DAX window: the virtio-fs device has no cache region (QEMU's vhost-user-fs-pci without cache-size), so the kernel refused mount -o dax=always: ${KLINE:-$ERR}" >&2
    exit 3
  fi
  die "mount -t virtiofs -o dax=always $TAG $MNT failed (a kernel without CONFIG_FUSE_DAX refuses it too): $ERR"
fi
OPTS=$(awk -v m="$MNT" '$2 == m { o = $4 } END { print o }' /proc/mounts)
if [[ ,$OPTS, != *,dax=always,* ]]; then
  umount "$MNT" || true
  die "$MNT is mounted without dax=always (options: $OPTS)"
fi
if ! CHECK=$("$BIN/daxcheck" "$MNT"); then
  umount "$MNT" || true
  die "DAX is not active on $MNT: daxcheck says $CHECK"
fi
echo "virtiofs $TAG mounted at $MNT with dax=always: $CHECK"
