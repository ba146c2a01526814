#!/bin/bash
# gup-longterm.sh BINDIR FILE MIB
# Runs the kernel's own mm selftest gup_test (tools/testing/selftests/mm/gup_test.c, vm/ before 6.3; built
# from the kernel tree under test and shipped in BINDIR) three times:
#   anon-longterm  -L on a private anonymous mapping: FOLL_LONGTERM pins work at all (control)
#   dax-basic      -b on a MAP_SHARED mapping of FILE (DAX): short-term pins of DAX pages work (control)
#   dax-longterm   -L -W on the same DAX mapping: check_vma_flags() must refuse FOLL_LONGTERM for
#                  fsdax VMAs, so gup_test reports "truncated (size: 0)". -W (no FOLL_WRITE) keeps
#                  the other barrier, writable_file_mapping_allowed() (EFAULT for long-term write
#                  pins of shared file mappings), out of the way: only the fsdax check can refuse.
# Output: each run's KTAP (plain result lines before 6.3) between marker lines, then {"anon_exit":N,"basic_exit":N,"longterm_exit":N},
# or {"skip":"..."} when this kernel has no gup_test.
set -uo pipefail

die() { printf '{"error":"%s","errno":0}\n' "$1"; exit "${2:-3}"; }
[ $# -eq 3 ] || die "usage: gup-longterm.sh BINDIR FILE MIB" 2
BIN=$1 FILE=$2 MIB=$3
[[ $MIB =~ ^[0-9]{1,4}$ && $MIB -ge 1 ]] || die "MIB must be a positive integer" 2
if [ ! -x "$BIN/gup_test" ]; then
  echo '{"skip":"the kernel under test has no gup_test selftest (built without CONFIG_GUP_TEST: add the gup_test config fragment)"}'
  exit 0
fi
if [ ! -e /sys/kernel/debug/gup_test ]; then
  echo '{"skip":"/sys/kernel/debug/gup_test is missing: the running kernel lacks CONFIG_GUP_TEST or debugfs"}'
  exit 0
fi

trap 'rm -f "$FILE"' EXIT
head -c $((MIB * 1024 * 1024)) /dev/zero > "$FILE" || die "cannot create $FILE"
"$BIN/daxcheck" "$(dirname "$FILE")" >/dev/null || die "file is not DAX"

run() { # NAME ARGS...
  local name=$1; shift
  echo "DAXLAB-KTAP-BEGIN $name"
  "$BIN/gup_test" -m "$MIB" "$@" 2>&1
  local rc=$?
  echo "DAXLAB-KTAP-END $name"
  return $rc
}
run anon-longterm -L
anon=$?
run dax-basic -b -S -f "$FILE"
basic=$?
run dax-longterm -L -W -S -f "$FILE"
longterm=$?
printf '{"anon_exit":%d,"basic_exit":%d,"longterm_exit":%d,"bytes":%d}\n' "$anon" "$basic" "$longterm" $((MIB * 1024 * 1024))
