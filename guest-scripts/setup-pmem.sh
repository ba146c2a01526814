#!/bin/bash
# setup-pmem.sh COUNT: make sure the pmem device holds COUNT fsdax namespaces of equal size, one
# per filesystem under test, so that every filesystem can stay mounted while cases run on the
# others. Prints the block devices (/dev/pmem0, /dev/pmem0.1, ...), one per line. Idempotent: the
# namespaces survive reboots in the label area. A label-less region (virtio-pmem) holds a single
# namespace: then only one device is printed and the filesystems take turns on it.
set -euo pipefail

die() { echo "setup-pmem: $*" >&2; exit 1; }

[ $# -eq 1 ] && [[ $1 =~ ^[1-8]$ ]] || die "usage: setup-pmem.sh COUNT (1-8)"
COUNT=$1

blockdevs() { ndctl list -N -m fsdax 2>/dev/null | tr -d ' \n\t' | grep -o '"blockdev":"[^"]*"' | cut -d'"' -f4 | sort; }
has_dimms() { ndctl list -D 2>/dev/null | grep -q '"dev"'; }
# No process substitution: a minimal guest /dev may lack /dev/fd.
read_devs() { devs=(); local d; for d in $(blockdevs); do devs+=("$d"); done; }
wait_dev() {
  local d
  for d in "$@"; do
    for _ in $(seq 1 50); do [ -b "/dev/$d" ] && break; sleep 0.1; done
    [ -b "/dev/$d" ] || die "/dev/$d did not appear"
  done
}

read_devs
if has_dimms; then
  if [ "${#devs[@]}" -ne "$COUNT" ]; then
    echo "setup-pmem: creating $COUNT fsdax namespace(s) on region0" >&2
    ndctl disable-region all >&2 || die "ndctl disable-region all failed"
    ndctl init-labels -f all >&2 || die "ndctl init-labels failed (does the nvdimm have label-size set?)"
    ndctl enable-region all >&2 || die "ndctl enable-region all failed"
    avail=$(ndctl list -R -r region0 | tr -d ' \n\t' | grep -o '"available_size":[0-9]*' | cut -d: -f2)
    [ -n "$avail" ] || die "cannot read the available size of region0"
    # Equal shares, in whole 16 MiB (a multiple of every namespace alignment).
    size=$(( avail / COUNT / (16 << 20) * (16 << 20) ))
    [ "$size" -gt 0 ] || die "region0 ($avail bytes) is too small for $COUNT namespaces"
    for _ in $(seq 1 "$COUNT"); do
      ndctl create-namespace -f -m fsdax -r region0 -s "$size" >&2 || die "ndctl create-namespace -m fsdax -s $size failed"
    done
    read_devs
  fi
elif [ "${#devs[@]}" -eq 0 ]; then
  # virtio-pmem: a label-less region whose raw namespace has no struct pages; reconfigure it to
  # fsdax (page map in a pfn info block) so pins work.
  echo "setup-pmem: reconfiguring namespace0.0 to fsdax (label-less region)" >&2
  ndctl create-namespace -f -e namespace0.0 -m fsdax -M dev >&2 || die "ndctl create-namespace -e namespace0.0 -m fsdax failed"
  read_devs
fi
[ "${#devs[@]}" -gt 0 ] || die "no fsdax namespace after create-namespace"
wait_dev "${devs[@]}"
printf '/dev/%s\n' "${devs[@]}"
