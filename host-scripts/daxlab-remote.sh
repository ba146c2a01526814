#!/bin/bash
# daxlab's helper on a remote KVM host (target kind kvm-host). daxlab uploads it into the host's
# content-addressed store and runs it over SSH with every argument quoted as one word: nothing here
# is built from a string. One subcommand per call:
#   probe QEMU TOOL...            QEMU's version and devices, /dev/kvm, the CPU flags, the tools on PATH
#   missing STORE HASH...         makes STORE (0700) and prints each HASH the store has no file for
#   stage STORE MIB ENTRY...      makes a 0700 run dir under /tmp and prints its path; each ENTRY is
#                                 HASH:MODE:PATH, the blob copied to RUNDIR/PATH; RUNDIR/pmem.img is MIB MiB sparse
#   qemu RUNDIR ARGV...           starts ARGV (QEMU) in its own process group, streams RUNDIR/serial.log on
#                                 stdout; when stdin ends (daxlab let go, or the connection died) or QEMU exits,
#                                 QEMU's group is stopped and RUNDIR removed
#   slot STORE SLOTS WAIT         holds the first free of SLOTS lock files until stdin ends (waits WAIT s)
#   cleanup RUNDIR                stops QEMU's group started from RUNDIR and removes RUNDIR
#   devices DEV...                prints "DEV ok" for each fsdax-capable block device, "DEV why" otherwise
#   kexec IMAGE CMDLINE           loads IMAGE with CMDLINE and starts it a second later (systemd's kexec where
#                                 there is systemd), after this script returned and SSH let go
#   reboot                        reboots the machine a second later
#   dmesg                         prints the kernel log, then follows it (the console of a machine without one)
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
# A lost connection must not kill this script before it cleaned up: writes to the dead channel fail
# instead of killing it, and the end of stdin is what says daxlab is gone.
trap '' PIPE HUP

die() { echo "daxlab-remote: $*" >&2; exit 2; }
say() { echo "daxlab-remote: $*" >&2; }

# rm -rf only ever sees a directory this script made.
check_run() {
  case $1 in /tmp/daxlab-remote.*/* | */..* | *' '*) die "not a run dir: $1" ;; /tmp/daxlab-remote.?*) ;; *) die "not a run dir: $1" ;; esac
}
check_hash() { [[ $1 =~ ^[0-9a-f]{64}$ ]] || die "not a content hash: $1"; }

probe() {
  local q
  q=$(command -v "$1" 2>/dev/null); shift
  echo "== qemu-path"; echo "$q"
  if [ -n "$q" ]; then
    echo "== qemu-version"; "$q" -version 2>&1
    echo "== device-help"; "$q" -device help 2>&1
    echo "== vfs-help"; "$q" -device vhost-user-fs-pci,help 2>&1
  fi
  echo "== kvm-open"
  if [ ! -e /dev/kvm ]; then echo ENOENT; elif (exec 3<>/dev/kvm) 2>/dev/null; then echo ok; else echo EACCES; fi
  echo "== cpu-flags"; grep -m1 '^flags' /proc/cpuinfo
  echo "== virtiofsd"
  for p in /usr/lib/qemu/virtiofsd /usr/libexec/virtiofsd; do [ -x "$p" ] && { echo "$p"; break; }; done
  echo "== tools"
  for t; do echo "$t $(command -v "$t" 2>/dev/null)"; done
}

missing() {
  local store=$1; shift
  mkdir -p -m 0700 "$store" || die "cannot make $store"
  for h; do check_hash "$h"; [ -f "$store/$h" ] || echo "$h"; done
}

stage() {
  local store=$1 mib=$2 run e h m p; shift 2
  run=$(mktemp -d /tmp/daxlab-remote.XXXXXXXX) || die "cannot make a run dir under /tmp"
  for e; do
    h=${e%%:*}; m=${e#*:}; m=${m%%:*}; p=${e#*:*:}
    check_hash "$h"
    case $p in /* | *..* | '') rm -rf "$run"; die "bad path in $e" ;; esac
    mkdir -p "$run/$(dirname "$p")" && cp "$store/$h" "$run/$p" && chmod "$m" "$run/$p" || { rm -rf "$run"; die "cannot stage $p"; }
  done
  : >"$run/serial.log" || { rm -rf "$run"; die "cannot write in $run"; }
  if [ "$mib" != 0 ]; then truncate -s "${mib}M" "$run/pmem.img" || { rm -rf "$run"; die "cannot make pmem.img"; }; fi
  echo "$run"
}

stop_group() {
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do kill -0 -- "-$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null
}

qemu() {
  local run=$1 q t w code; shift
  check_run "$run"
  exec 3<&0
  setsid "$@" </dev/null >"$run/qemu.out" 2>&1 &
  q=$!
  echo "$q" >"$run/qemu.pid"
  say "qemu-pid $q"
  tail -s 0.1 -c +1 -F --pid="$q" "$run/serial.log" 2>/dev/null &
  t=$!
  cat <&3 >/dev/null &
  w=$!
  wait -n "$q" "$w"
  if kill -0 "$q" 2>/dev/null; then
    say "stdin-closed"
    stop_group "$q"
    wait "$q"; code=$?
  else
    wait "$q"; code=$?
    say "qemu-exit $code"
    tail -n 20 "$run/qemu.out" | sed 's/^/qemu: /' >&2
  fi
  wait "$t"
  kill "$w" 2>/dev/null
  rm -rf "$run"
  say "removed $run"
}

slot() {
  local store=$1 n=$2 wait=$3 i start=$SECONDS
  mkdir -p -m 0700 "$store/slots" || die "cannot make $store/slots"
  exec 3<&0
  while :; do
    for ((i = 0; i < n; i++)); do
      exec 9>>"$store/slots/$i.lock"
      if flock -n 9; then echo "slot $i"; cat <&3 >/dev/null; exit 0; fi
      exec 9>&-
    done
    ((SECONDS - start >= wait)) && { echo busy; exit 75; }
    sleep 1
  done
}

cleanup() {
  local run=$1 q
  check_run "$run"
  q=$(cat "$run/qemu.pid" 2>/dev/null) && [[ $q =~ ^[0-9]+$ ]] && stop_group "$q"
  rm -rf "$run"
}

devices() {
  local d b
  for d; do
    if [ ! -b "$d" ]; then echo "$d is not a block device"; continue; fi
    b=$(basename "$(readlink -f "$d")")
    if [ "$(cat "/sys/block/$b/queue/dax" 2>/dev/null)" = 1 ]; then echo "$d ok"; else echo "$d does not support DAX (/sys/block/$b/queue/dax is not 1)"; fi
  done
}

later() { setsid -f bash -c "sleep 1; $1" </dev/null >/dev/null 2>&1; }

kexec_into() {
  local image=$1 cmdline=$2
  [ -f "$image" ] || die "no kernel image at $image"
  kexec -l "$image" --command-line="$cmdline" || die "kexec -l $image failed"
  if [ -d /run/systemd/system ]; then later 'systemctl kexec'; else later 'kexec -e'; fi
  echo "kexec armed"
}

reboot_later() {
  if [ -d /run/systemd/system ]; then later 'systemctl reboot'; else later 'reboot -f'; fi
  echo "reboot armed"
}

cmd=${1:-}; shift || true
case $cmd in
  probe | missing | stage | qemu | slot | cleanup | devices) "$cmd" "$@" ;;
  kexec) kexec_into "$@" ;;
  reboot) reboot_later ;;
  dmesg) exec dmesg -w ;;
  *) die "unknown subcommand '$cmd'" ;;
esac
