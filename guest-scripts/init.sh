#!/bin/bash
# daxlab guest init (PID 1). The host root is mounted read-only over 9p; give the
# guest writable tmpfs where sshd and ndctl write, start sshd from the run
# directory's config, say DAXLAB-READY on the console, then reap children forever.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C

fail() { echo "DAXLAB-INIT-FAILED $*" >/dev/console; }

mount -t proc proc /proc
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1
mount -t sysfs sysfs /sys
mkdir -p /dev/pts /dev/shm 2>/dev/null
# devtmpfs has no /dev/fd or /dev/std*: bash process substitution and tools writing to
# /dev/stderr need them.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for i in 0:stdin 1:stdout 2:stderr; do [ -e "/dev/${i#*:}" ] || ln -s "/proc/self/fd/${i%%:*}" "/dev/${i#*:}"; done
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t configfs configfs /sys/kernel/config 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

run=$(sed -n 's/.*\bdaxlab\.run=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$run" ] || { fail "no daxlab.run= on the kernel command line"; }

# The run directory may sit under a directory about to get a tmpfs (e.g. the host's
# /tmp): park it on /mnt and move it back afterwards.
park=
[ -n "$run" ] && [ -d /mnt ] && mount --bind "$run" /mnt && park=/mnt
# /root must be a tmpfs so the host's ~/.bashrc does not run in the guest.
for d in /run /tmp /var/tmp /var/log /var/lib /root /dev/shm; do
  mount -t tmpfs -o mode=0755 tmpfs "$d" || fail "cannot mount tmpfs on $d"
done
chmod 1777 /tmp /var/tmp /dev/shm
if [ -n "$park" ]; then
  mkdir -p "$run" 2>/dev/null
  mount --move "$park" "$run" || fail "cannot put the run directory back at $run"
fi

hostname daxlab-guest
command -v ip >/dev/null && ip link set lo up

mkdir -p -m 0755 /run/sshd
if [ -n "$run" ] && /usr/sbin/sshd -f "$run/ssh/sshd_config" -E /run/sshd.log; then
  echo DAXLAB-READY
else
  fail "sshd did not start: $(tail -n 3 /run/sshd.log 2>/dev/null | tr '\n' ' ')"
fi

# PID 1 must never exit: reap orphans forever.
trap '' TERM INT HUP
while :; do wait; sleep 1; done
