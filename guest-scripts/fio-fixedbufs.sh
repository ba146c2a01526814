#!/bin/bash
# fio-fixedbufs.sh BINDIR DEV FILE READS
# fio with ioengine=io_uring, fixedbufs=1 and iomem=mmapshared:FILE (a DAX file)
# reading from DEV: fio registers its buffer with IORING_REGISTER_BUFFERS, a
# long-term pin that the kernel must refuse for fsdax memory (EOPNOTSUPP), so
# fio must fail in io_queue_init before any I/O. A control run first does the
# same with anonymous memory (iomem=mmap, one read), which must work.
# Output: each run's JSON between marker lines (fio's messages go to stderr),
# then {"control_exit":N,"fio_exit":N}.
set -uo pipefail

die() { printf '{"error":"%s","errno":0}\n' "$1"; exit "${2:-3}"; }
[ $# -eq 4 ] || die "usage: fio-fixedbufs.sh BINDIR DEV FILE READS" 2
BIN=$1 DEV=$2 FILE=$3 READS=$4
[[ $READS =~ ^[0-9]{1,5}$ && $READS -ge 1 ]] || die "READS must be a positive integer" 2
[ -b "$DEV" ] || die "$DEV is not a block device"
command -v fio >/dev/null || die "fio is not installed (apt-get install fio)"

tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"; rm -f "$FILE"' EXIT
# fio 3.33 maps the iomem file without sizing it (registration would get EFAULT): size it first.
head -c $((16 * 4096)) /dev/zero > "$FILE" || die "cannot create $FILE"
"$BIN/daxcheck" "$(dirname "$FILE")" >/dev/null || die "file is not DAX"

# fio keeps its job table in System V shm; without CONFIG_SYSVIPC (daxlab's kernels) shmshim.so provides it.
shim=()
[ -d /proc/sysvipc ] || shim=(env LD_PRELOAD="$BIN/shmshim.so")
run() { # NAME IOMEM SIZE
  "${shim[@]}" fio --output-format=json --output="$tmp/$1.json" --name="$1" --filename="$DEV" \
    --ioengine=io_uring --fixedbufs=1 --direct=1 --rw=read --bs=4k --size="$3" --iomem="$2" >&2
}
run control mmap 4096
control_exit=$?
run fixedbufs mmapshared:"$FILE" $((READS * 4096))
fio_exit=$?

for name in control fixedbufs; do
  echo "DAXLAB-FIO-JSON-BEGIN $name"
  cat "$tmp/$name.json" 2>/dev/null
  echo "DAXLAB-FIO-JSON-END $name"
done
printf '{"control_exit":%d,"fio_exit":%d}\n' "$control_exit" "$fio_exit"
