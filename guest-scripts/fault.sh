#!/bin/bash
# fault.sh KIND MOUNT_POINT: test-only fault injection for daxlab's fault suite (never in the default plan).
#   panic       crash the guest kernel (sysrq c)
#   hang        block forever in an interruptible sleep (the case timeout must end it)
#   dstate      block forever in uninterruptible sleep: write to a frozen filesystem (cannot be killed)
#   disconnect  kill the sshd process serving this session (the host loses its connection)
#   oops        oops the kernel without a panic (LKDTM BUG; needs CONFIG_LKDTM): the kernel taints D and
#               keeps running, and this script is killed
#   warn-between  succeed, and make the kernel WARN (LKDTM) right after the case has ended
#   kasan-skip  log a KASAN-style line, then report a skip (the kernel log must still fail the case)
#   klog-flood  log ~600 KiB of lines, more than a small kernel log buffer holds (records get lost)
#   kmsg-unreadable  hide /dev/kmsg (bind /dev/null over it) for ~3 s, so the case's log cannot be read
#   flaky       fail the first time this case runs in a boot, pass when it runs again (a case that
#               fails at random, made repeatable for the tests of --rerun-failures)
#   undecided   the same, but the first run is inconclusive (an oracle that could not decide): it is run
#               again alone, and passes
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
  oops)
    crash=/sys/kernel/debug/provoke-crash/DIRECT
    [ -w "$crash" ] || { echo '{"skip":"fault oops needs LKDTM (CONFIG_LKDTM) and debugfs"}'; exit 0; }
    echo "fault: oopsing the kernel (LKDTM BUG)" >&2
    echo BUG > "$crash"
    ;;
  warn-between)
    # Once run-case.sh has marked this case's end, log the line: it lands after the case and before
    # the next one begins (the host needs a round trip to start it). setsid: out of the case's
    # process group, so the runner's cleanup does not stop it.
    [ -n "${DAXLAB_CASE_ID:-}" ] || { echo "fault: DAXLAB_CASE_ID is not set (run through run-case.sh)" >&2; exit 3; }
    # A real WARN (LKDTM WARNING), so the kernel is tainted W before the next case starts.
    crash=/sys/kernel/debug/provoke-crash/DIRECT
    [ -w "$crash" ] || { echo '{"skip":"fault warn-between needs LKDTM (CONFIG_LKDTM) and debugfs"}'; exit 0; }
    setsid sh -c 'for _ in $(seq 1 5000); do dmesg | grep -qF "daxlab: end $1" && break; sleep 0.002; done
      echo WARNING > "$2"' sh "$DAXLAB_CASE_ID" "$crash" \
      </dev/null >/dev/null 2>&1 &
    echo '{"fault":"warn-between"}'
    exit 0
    ;;
  kasan-skip)
    echo "BUG: KASAN: slab-use-after-free in daxlab_fault_kasan_skip" > /dev/kmsg
    echo '{"skip":"fault kasan-skip: skipping on purpose after a KASAN-style line"}'
    exit 0
    ;;
  klog-flood)
    line=$(printf 'daxlab fault: flooding the kernel log %0200d' 0)
    for _ in $(seq 1 3000); do echo "$line"; done > /dev/kmsg
    echo '{"fault":"klog-flood"}'
    exit 0
    ;;
  kmsg-unreadable)
    mount --bind /dev/null /dev/kmsg || { echo "fault: cannot bind /dev/null over /dev/kmsg" >&2; exit 3; }
    setsid sh -c 'sleep 3; umount /dev/kmsg' </dev/null >/dev/null 2>&1 &
    echo '{"fault":"kmsg-unreadable"}'
    exit 0
    ;;
  flaky|undecided)
    id=${DAXLAB_CASE_ID:-x}; mark=/run/daxlab-fault-$kind-$(printf '%s' "${id%~*}" | cksum | cut -d' ' -f1)
    if [ -e "$mark" ]; then echo "{\"fault\":\"$kind\",\"failed\":false}"; else : > "$mark"; echo "{\"fault\":\"$kind\",\"failed\":true}"; fi
    exit 0
    ;;
  ok)
    echo '{"fault":"ok"}'
    exit 0
    ;;
  *)
    echo "usage: fault.sh panic|oops|hang|dstate|disconnect|warn-between|kasan-skip|klog-flood|kmsg-unreadable|flaky|undecided|ok MOUNT_POINT" >&2
    exit 2
    ;;
esac
echo "fault: $kind was not injected" >&2
exit 3
