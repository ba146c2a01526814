#!/bin/bash
# fio-race.sh BINDIR DEV FILE INDEX READS LEAD_MS
# Starts fio in the background: psync O_DIRECT 4 KiB reads from the delay device
# DEV into an iomem=mmapshared buffer on FILE (a DAX file), iomem_align=INDEX*4096
# so the buffer is page INDEX of FILE; each read holds that page pinned for the
# device delay. While fio runs, BINDIR/fiotrunc waits for a read in flight on DEV,
# sleeps LEAD_MS and truncates FILE to 0, timing it (CLOCK_MONOTONIC).
# fio writes a per-I/O latency log stamped with CLOCK_MONOTONIC ms, so every
# read's start and end can be set against the truncate. Output: fio's JSON and
# the latency log between marker lines, then one JSON line
# {"fio_exit":N,"trunc_exit":N,"trunc":<fiotrunc's line or null>}.
set -uo pipefail

die() { printf '{"error":"%s","errno":0}\n' "$1"; exit "${2:-3}"; }
[ $# -eq 6 ] || die "usage: fio-race.sh BINDIR DEV FILE INDEX READS LEAD_MS" 2
BIN=$1 DEV=$2 FILE=$3 INDEX=$4 READS=$5 LEAD=$6
for n in "$INDEX" "$READS" "$LEAD"; do [[ $n =~ ^[0-9]{1,5}$ ]] || die "INDEX, READS and LEAD_MS must be integers" 2; done
[ "$READS" -ge 1 ] || die "READS must be at least 1" 2
[ -b "$DEV" ] || die "$DEV is not a block device"
command -v fio >/dev/null || die "fio is not installed (apt-get install fio)"

tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"; rm -f "$FILE"' EXIT
# fio 3.33 maps the iomem file without sizing it (a read into it would get EFAULT): size it first.
head -c $(((INDEX + 16) * 4096)) /dev/zero > "$FILE" || die "cannot create $FILE"
"$BIN/daxcheck" "$(dirname "$FILE")" >/dev/null || die "file is not DAX"

# fio keeps its job table in System V shm; without CONFIG_SYSVIPC (daxlab's kernels) shmshim.so provides it.
shim=()
[ -d /proc/sysvipc ] || shim=(env LD_PRELOAD="$BIN/shmshim.so")
"${shim[@]}" fio --output-format=json --output="$tmp/fio.json" --name=race --filename="$DEV" \
  --ioengine=psync --direct=1 --rw=read --bs=4k --size=$((READS * 4096)) \
  --iomem=mmapshared:"$FILE" --iomem_align=$((INDEX * 4096)) \
  --write_lat_log="$tmp/race" --log_avg_msec=0 \
  --log_alternate_epoch=1 --log_alternate_epoch_clock_id=1 >"$tmp/fio.out" 2>&1 &
fio_pid=$!
trunc=$("$BIN/fiotrunc" --dev "$DEV" --file "$FILE" --pid "$fio_pid" --lead-ms "$LEAD")
trunc_exit=$?
wait "$fio_pid"
fio_exit=$?

echo DAXLAB-FIO-JSON-BEGIN race
cat "$tmp/fio.json" 2>/dev/null
echo DAXLAB-FIO-JSON-END race
echo DAXLAB-FIO-LAT-BEGIN race
cat "$tmp/race_lat.1.log" 2>/dev/null
echo DAXLAB-FIO-LAT-END race
cat "$tmp/fio.out" >&2
printf '{"fio_exit":%d,"trunc_exit":%d,"trunc":%s}\n' "$fio_exit" "$trunc_exit" "${trunc:-null}"
