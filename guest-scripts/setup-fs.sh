#!/bin/bash
# setup-fs.sh FS MOUNTPOINT BINDIR: make sure an fsdax namespace exists on the
# NVDIMM or virtio-pmem device (/dev/pmem0), make a fresh FS (ext4|xfs) on it, mount it at MOUNTPOINT
# with -o dax=always, and prove that DAX is active (/proc/mounts and
# BINDIR/daxcheck). Exits non-zero with a message on stderr when it is not.
set -euo pipefail

PMEM=/dev/pmem0

die() { echo "setup-fs: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: setup-fs.sh ext4|xfs MOUNTPOINT BINDIR"
FS=$1 MNT=$2 BIN=$3
[[ $FS == ext4 || $FS == xfs ]] || die "FS must be ext4 or xfs, got '$FS'"
[[ $MNT =~ ^/[A-Za-z0-9._/-]+$ && $MNT != / ]] \
  || die "MOUNTPOINT must be an absolute path of [A-Za-z0-9._/-], got '$MNT'"
MNT=${MNT%/}
[ -x "$BIN/daxcheck" ] || die "$BIN/daxcheck is missing or not executable"

is_mounted() { awk -v m="$1" '$2 == m { found = 1 } END { exit !found }' /proc/mounts; }

# An fsdax namespace whose block device is pmem0; ndctl prints JSON.
has_fsdax_pmem0() {
  ndctl list -N -m fsdax 2>/dev/null | tr -d ' \n\t' | grep -q '"blockdev":"pmem0"'
}

if is_mounted "$MNT"; then
  umount "$MNT" || die "cannot unmount $MNT"
fi

has_dimms() { ndctl list -D 2>/dev/null | grep -q '"dev"'; }

if ! has_fsdax_pmem0; then
  if has_dimms; then
    # Emulated NVDIMM with a label area: label it, then carve an fsdax namespace.
    echo "setup-fs: creating an fsdax namespace on region0" >&2
    ndctl disable-region all >&2 || die "ndctl disable-region all failed"
    ndctl init-labels -f all >&2 || die "ndctl init-labels failed (does the nvdimm have label-size set?)"
    ndctl enable-region all >&2 || die "ndctl enable-region all failed"
    ndctl create-namespace -f -m fsdax -r region0 >&2 || die "ndctl create-namespace -m fsdax failed"
  else
    # virtio-pmem: a label-less region whose raw namespace has no struct pages;
    # reconfigure it to fsdax (page map in a pfn info block) so pins work.
    echo "setup-fs: reconfiguring namespace0.0 to fsdax (label-less region)" >&2
    ndctl create-namespace -f -e namespace0.0 -m fsdax -M dev >&2 || die "ndctl create-namespace -e namespace0.0 -m fsdax failed"
  fi
  has_fsdax_pmem0 || die "no fsdax namespace with block device pmem0 after create-namespace"
fi
for _ in $(seq 1 50); do [ -b "$PMEM" ] && break; sleep 0.1; done
[ -b "$PMEM" ] || die "$PMEM did not appear"

case $FS in
  # 2 MiB allocation alignment (512 x 4 KiB), so that files larger than 2 MiB get extents a PMD
  # can map when the kernel has CONFIG_FS_DAX_PMD (the thp fragment).
  ext4) mkfs.ext4 -F -q -b 4096 -E stride=512,stripe_width=512 "$PMEM" >&2 || die "mkfs.ext4 failed" ;;
  xfs) mkfs.xfs -f -q -d su=2m,sw=1 "$PMEM" >&2 || die "mkfs.xfs failed" ;;
esac

mkdir -p "$MNT"
mount -t "$FS" -o dax=always "$PMEM" "$MNT" || die "mount -o dax=always of $PMEM on $MNT failed"
OPTS=$(awk -v m="$MNT" '$2 == m { o = $4 } END { print o }' /proc/mounts)
[[ ,$OPTS, == *,dax=always,* ]] || die "$MNT is mounted without dax=always (options: $OPTS)"

if ! CHECK=$("$BIN/daxcheck" "$MNT"); then
  die "DAX is not active on $MNT: daxcheck says $CHECK"
fi
echo "$FS on $PMEM mounted at $MNT with dax=always: $CHECK"
