#!/bin/bash
# run-case.sh CASE_ID KMSG_FROM PROGRAM [ARGS...]
# Marks the start and end of one case in the kernel log, runs the program with its arguments as
# given (no re-parsing by a shell; DAXLAB_CASE_ID names its marker), then appends a trailer to stdout so that the host gets the
# case's kernel log and taint in the same round trip:
#   DAXLAB-CASE-TRAILER
#   STATUS <program exit status>
#   TAINT-BEFORE <mask>
#   TAINT-AFTER <mask>  (read before the end marker)
#   <klog-state.sh KMSG_FROM: TAINT <mask>, then the kernel log records from KMSG_FROM on>
# Exits with the program's status.
set -u
case_id=$1
from=$2
shift 2
bin=$(dirname "$0")
taint_before=$(cat /proc/sys/kernel/tainted 2>/dev/null || echo -1)
# WARN_ON_ONCE fires once per boot; re-arm them so this case's warnings are seen.
if [ -w /sys/kernel/debug/clear_warn_once ]; then
  echo 1 > /sys/kernel/debug/clear_warn_once
fi
printf 'daxlab: begin %s\n' "$case_id" > /dev/kmsg
DAXLAB_CASE_ID=$case_id "$@"
status=$?
# Read before the end marker: what taints the kernel after it happened between cases.
taint_after=$(cat /proc/sys/kernel/tainted 2>/dev/null || echo -1)
printf 'daxlab: end %s\n' "$case_id" > /dev/kmsg
printf '\n%s\n' DAXLAB-CASE-TRAILER
echo "STATUS $status"
echo "TAINT-BEFORE $taint_before"
echo "TAINT-AFTER $taint_after"
"$bin/klog-state.sh" "$from"
exit "$status"
