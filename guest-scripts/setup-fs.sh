#!/bin/bash
# setup-fs.sh FS MOUNTPOINT BINDIR DEVICE: make a fresh FS (ext4|xfs) on DEVICE (an fsdax namespace
# from setup-pmem.sh), mount it at MOUNTPOINT with -o dax=always, and prove that DAX is active
# (/proc/mounts and BINDIR/daxcheck). Exits non-zero with a message on stderr when it is not.
set -euo pipefail

die() { echo "setup-fs: $*" >&2; exit 1; }

[ $# -eq 4 ] || die "usage: setup-fs.sh ext4|xfs MOUNTPOINT BINDIR DEVICE"
FS=$1 MNT=$2 BIN=$3 PMEM=$4
[[ $FS == ext4 || $FS == xfs ]] || die "FS must be ext4 or xfs, got '$FS'"
[[ $MNT =~ ^/[A-Za-z0-9._/-]+$ && $MNT != / ]] \
  || die "MOUNTPOINT must be an absolute path of [A-Za-z0-9._/-], got '$MNT'"
[[ $PMEM =~ ^/dev/pmem[0-9.]+$ ]] || die "DEVICE must be a /dev/pmem* block device, got '$PMEM'"
MNT=${MNT%/}
[ -x "$BIN/daxcheck" ] || die "$BIN/daxcheck is missing or not executable"
[ -b "$PMEM" ] || die "$PMEM is not a block device"

is_mounted() { awk -v m="$1" '$2 == m { found = 1 } END { exit !found }' /proc/mounts; }
if is_mounted "$MNT"; then
  umount "$MNT" || die "cannot unmount $MNT"
fi
# The device may still be mounted elsewhere (the filesystems took turns on it).
while read -r dev mnt _; do
  [ "$dev" = "$PMEM" ] && { umount "$mnt" || die "cannot unmount $mnt ($PMEM)"; }
done < /proc/mounts

case $FS in
  # 2 MiB allocation alignment (512 x 4 KiB), so that files larger than 2 MiB get extents a PMD
  # can map when the kernel has CONFIG_FS_DAX_PMD (the thp fragment).
  # xfs: a 2 MiB stripe unit makes mkfs.xfs want a 64 MiB log, which must fit in one allocation
  # group: below 1 GiB (a VM's pmem split between filesystems) use two groups. The log stripe
  # unit is capped at 256 KiB by mkfs.xfs.
  ext4) MKFS=(mkfs.ext4 -F -q -b 4096 -E stride=512,stripe_width=512 "$PMEM") ;;
  xfs)
    DATA=su=2m,sw=1
    [ "$(blockdev --getsize64 "$PMEM")" -lt $((1 << 30)) ] && DATA=$DATA,agcount=2
    MKFS=(mkfs.xfs -f -q -d "$DATA" -l size=64m,su=32k "$PMEM") ;;
esac
# Say why mkfs failed (its last lines), not only that it did.
if ! OUT=$("${MKFS[@]}" 2>&1); then
  die "${MKFS[0]} failed: $(printf '%s\n' "$OUT" | grep -v '^[[:space:]/<]' | tail -n 2 | tr '\n' ' ')"
fi

mkdir -p "$MNT"
mount -t "$FS" -o dax=always "$PMEM" "$MNT" || die "mount -o dax=always of $PMEM on $MNT failed"
OPTS=$(awk -v m="$MNT" '$2 == m { o = $4 } END { print o }' /proc/mounts)
[[ ,$OPTS, == *,dax=always,* ]] || die "$MNT is mounted without dax=always (options: $OPTS)"

if ! CHECK=$("$BIN/daxcheck" "$MNT"); then
  die "DAX is not active on $MNT: daxcheck says $CHECK"
fi
echo "$FS on $PMEM mounted at $MNT with dax=always: $CHECK"
