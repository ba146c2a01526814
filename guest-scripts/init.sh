#!/bin/bash
# daxlab guest init (PID 1). The host root is mounted read-only over 9p; give the
# guest writable tmpfs where sshd and ndctl write, start sshd from the run
# directory's config, say DAXLAB-READY on the console, then reap children forever.
# Every exec costs tens of milliseconds under TCG, so this script uses bash builtins where it can
# and mounts its file systems from two fstab files, one mount(8) each (init-fstab-*, next to it).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C
here=${0%/*}

fail() { echo "DAXLAB-INIT-FAILED $*" >/dev/console; }

mount -t proc proc /proc
dev_mounted=
while read -r _ target _; do [ "$target" = /dev ] && dev_mounted=1; done </proc/mounts
[ -n "$dev_mounted" ] || mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm 2>/dev/null
# Not fatal: a kernel built without configfs or debugfs still boots (the cases that need them say so).
mount -a -T "$here/init-fstab-sys" || echo "daxlab init: not all of $here/init-fstab-sys mounted"
# devtmpfs has no /dev/fd or /dev/std*: bash process substitution and tools writing to
# /dev/stderr need them. Nothing before sshd does, so they are made meanwhile.
{
  [ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
  for i in 0:stdin 1:stdout 2:stderr; do [ -e "/dev/${i#*:}" ] || ln -s "/proc/self/fd/${i%%:*}" "/dev/${i#*:}"; done
  command -v ip >/dev/null && ip link set lo up
} &
links=$!

run=
read -ra words </proc/cmdline
for w in "${words[@]}"; do
  case $w in daxlab.run=*) run=${w#daxlab.run=} ;; esac
done
[ -n "$run" ] || { fail "no daxlab.run= on the kernel command line"; }

# The run directory may sit under a directory about to get a tmpfs (e.g. the host's
# /tmp): park it on /mnt and move it back afterwards.
park=
[ -n "$run" ] && [ -d /mnt ] && mount --bind "$run" /mnt && park=/mnt
# /root must be a tmpfs so the host's ~/.bashrc does not run in the guest.
mount -a -T "$here/init-fstab-tmpfs" || fail "cannot mount the tmpfs of $here/init-fstab-tmpfs"
mkdir -p -m 0755 /run/sshd ${park:+"$run"} 2>/dev/null
if [ -n "$park" ]; then
  mount --move "$park" "$run" || fail "cannot put the run directory back at $run"
fi

echo daxlab-guest >/proc/sys/kernel/hostname
wait "$links"

if [ -n "$run" ] && /usr/sbin/sshd -f "$run/ssh/sshd_config" -E /run/sshd.log; then
  echo DAXLAB-READY
else
  fail "sshd did not start: $(tail -n 3 /run/sshd.log 2>/dev/null | tr '\n' ' ')"
fi

# PID 1 must never exit: reap orphans forever.
trap '' TERM INT HUP
while :; do wait; sleep 1; done
