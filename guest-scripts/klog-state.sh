#!/bin/bash
# klog-state.sh FROM: the kernel's taint mask, then the kernel log records whose sequence
# number is FROM or later (kmsg-read's output), so the host sees every record exactly once.
#   TAINT <mask>            (-1 when /proc/sys/kernel/tainted cannot be read)
#   KMSG from=... ...       (kmsg-read's header and records)
#   KMSG-READ-FAILED <exit> (instead, when kmsg-read failed)
set -u
bin=$(dirname "$0")
echo "TAINT $(cat /proc/sys/kernel/tainted 2>/dev/null || echo -1)"
"$bin/kmsg-read" "${1:-0}" || echo "KMSG-READ-FAILED $?"
