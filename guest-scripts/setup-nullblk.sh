#!/bin/bash
# setup-nullblk.sh DELAY_MS [NAME]: create (through configfs) a null_blk device NAME (default
# daxlab; one per lane of cases running at once) whose
# I/O completes DELAY_MS milliseconds after submission (timer irqmode), so an
# O_DIRECT read from it holds its pages pinned that long. Prints the device path
# (e.g. /dev/nullb0) as the last line. Idempotent: an existing device with the
# same settings is reused; one with other settings is recreated.
# memory_backed=1: the device stores what is written and reads it back (pin-reuse
# needs a read that copies real data). null_blk copies at submission for normal
# requests, and when polled for requests on its poll queue (poll_queues=1,
# io_uring IOPOLL), which pin-reuse uses for a late copy.
set -euo pipefail

NAME=${2:-daxlab}
SIZE_MB=64
CONFIGFS=/sys/kernel/config
DIR=$CONFIGFS/nullb/$NAME

die() { echo "setup-nullblk: $*" >&2; exit 1; }

[ $# -eq 1 ] || [ $# -eq 2 ] || die "usage: setup-nullblk.sh DELAY_MS [NAME]"
[[ $NAME =~ ^[a-z][a-z0-9]{0,15}$ ]] || die "NAME must be a short lower-case name, got '$NAME'"
[[ $1 =~ ^[0-9]{1,6}$ ]] || die "DELAY_MS must be an integer number of milliseconds, got '$1'"
DELAY_MS=$((10#$1))
[ "$DELAY_MS" -ge 1 ] || die "DELAY_MS must be at least 1"
NSEC=$((DELAY_MS * 1000000))

if ! grep -q " $CONFIGFS configfs " /proc/mounts; then
  mount -t configfs none "$CONFIGFS" || die "cannot mount configfs at $CONFIGFS"
fi
[ -d "$CONFIGFS/nullb" ] || die "$CONFIGFS/nullb is missing: null_blk is not built in or not loaded"

# Wait for devtmpfs to show the block device, then print it. Since 6.0 a configfs
# null_blk device is named after its configfs directory (/dev/daxlab); older
# kernels name it nullb<index>.
print_device() {
  local dev
  for _ in $(seq 1 50); do
    for dev in "/dev/$NAME" "/dev/nullb$(cat "$DIR/index")"; do
      if [ -b "$dev" ]; then echo "$dev"; return 0; fi
    done
    sleep 0.1
  done
  die "neither /dev/$NAME nor /dev/nullb$(cat "$DIR/index") appeared after powering on $DIR"
}

if [ -d "$DIR" ]; then
  if [ "$(cat "$DIR/power")" = 1 ] && [ "$(cat "$DIR/completion_nsec")" = "$NSEC" ] \
    && [ "$(cat "$DIR/irqmode")" = 2 ] && [ "$(cat "$DIR/memory_backed")" = 1 ] \
    && [ "$(cat "$DIR/poll_queues")" = 1 ]; then
    print_device
    exit 0
  fi
  echo "setup-nullblk: recreating $NAME (${DELAY_MS} ms delay, memory-backed, 1 poll queue)" >&2
  echo 0 > "$DIR/power" || die "cannot power off $DIR (device in use?)"
  rmdir "$DIR" || die "cannot remove $DIR"
fi

mkdir "$DIR"
echo 2 > "$DIR/irqmode"
echo "$NSEC" > "$DIR/completion_nsec"
echo 4096 > "$DIR/blocksize"
echo "$SIZE_MB" > "$DIR/size"
echo 1 > "$DIR/memory_backed"
echo 1 > "$DIR/poll_queues"
echo 1 > "$DIR/power" || die "cannot power on $DIR"
print_device
