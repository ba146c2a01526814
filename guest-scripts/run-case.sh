#!/bin/bash
# run-case.sh CASE_ID PROGRAM [ARGS...]
# Marks the start and end of one case in the kernel log (so the host can slice the log per case),
# runs the program with its arguments as given (no re-parsing by a shell), and exits with its status.
set -u
case_id=$1
shift
# WARN_ON_ONCE fires once per boot; re-arm them so this case's warnings are seen.
if [ -w /sys/kernel/debug/clear_warn_once ]; then
  echo 1 > /sys/kernel/debug/clear_warn_once
fi
printf 'daxlab: begin %s\n' "$case_id" > /dev/kmsg
"$@"
status=$?
printf 'daxlab: end %s\n' "$case_id" > /dev/kmsg
exit "$status"
