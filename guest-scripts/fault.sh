#!/bin/bash
# fault.sh KIND MOUNT_POINT: test-only fault injection for daxlab's fault suite (never in the default plan).
#   panic       crash the guest kernel (sysrq c)
#   hang        block forever in an interruptible sleep (the case timeout must end it)
#   dstate      block forever in uninterruptible sleep: write to a frozen filesystem (cannot be killed)
#   disconnect  kill the sshd process serving this session (the host loses its connection)
#   ok          do nothing and succeed
set -u
kind=${1:-}
mnt=${2:-}
case "$kind" in
  panic)
    echo "fault: crashing the kernel" >&2
    sync
    echo c > /proc/sysrq-trigger
    ;;
  hang)
    sleep 100000
    ;;
  dstate)
    fsfreeze -f "$mnt" || { echo "fault: fsfreeze -f $mnt failed" >&2; exit 3; }
    echo x > "$mnt/daxlab-frozen"
    ;;
  disconnect)
    # Walk up to the nearest sshd ancestor: the per-connection session process.
    pid=$$
    while [ "$pid" -gt 1 ]; do
      pid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")
      if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ]; then
        kill -KILL "$pid"
        sleep 30
        exit 0
      fi
    done
    echo "fault: no sshd ancestor found" >&2
    exit 3
    ;;
  ok)
    echo '{"fault":"ok"}'
    exit 0
    ;;
  *)
    echo "usage: fault.sh panic|hang|dstate|disconnect|ok MOUNT_POINT" >&2
    exit 2
    ;;
esac
echo "fault: $kind was not injected" >&2
exit 3
