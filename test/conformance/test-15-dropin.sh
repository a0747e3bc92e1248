#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-15-dropin.sh: systemd's TEST-15-DROPIN (drop-ins, aliases, templates, masks),
# loading side, systemd 252 against sysmaster-analyze.
#
# One boot of the real systemd 252 as PID 1 of private namespaces with a controlled unit
# tree (../integration/lib/ns-boot.sh --tree controlled); test-15-dropin-steps.sh runs
# inside and, step by step, writes unit files, runs daemon-reload and captures
# `systemctl show -p PROPS UNIT...` and `sysmaster-analyze dump -p PROPS UNIT...`.  Here
# each step's outputs are compared (word lists sorted, mount/swap/device/automount words
# dropped) and TEST-15's check_ok/check_ko expectations are checked against both raw
# outputs: systemd must meet them, and sysmaster must meet them and agree with systemd.
#
# Environment: top_builddir (analyser at $top_builddir/sysmaster-analyze, outputs in
# $top_builddir/test/test-15-dropin.out), SYSMASTER_ANALYZE (another analyser),
# TEST15_EXTRA=1 (also the loading-side parts of the slice and transient subtests),
# COMPARE_IGNORE_ORDER=1 (do not compare the order of properties), NSB_OUT.
# Exit: 0 pass, 1 differences or failed expectations, 77 skipped, 99 error.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib/common.sh"
nsb_init test-15-dropin
OUT=$NSB_OUT

rc=0
"$NSB_LIB/ns-boot.sh" -o "$OUT" -t controlled -r "$HERE/test-15-dropin-steps.sh" -R 600 \
        -E "PROPS=$NSB_PROPS" -E "ANALYZER=$(nsb_inside "$NSB_ANALYZER")" -E "TEST15_EXTRA=${TEST15_EXTRA:-0}" || rc=$?
if [ $rc -ne 0 ]; then
        echo "the steps did not run through (rc=$rc); see $OUT/ns-boot.log and $OUT/console.log"
        exit 99
fi

order=()
[ "${COMPARE_IGNORE_ORDER:-0}" != 1 ] || order=(--no-order)
crc=0
python3 "$NSB_LIB/compare-show.py" "${order[@]}" --steps "$OUT/steps" || crc=$?

echo "$(grep -E 'boot_s|run_s' "$OUT/ns-boot.log" | tr '\n' ' ')test took $(nsb_elapsed)s"
echo "raw outputs: $OUT/steps/*/{systemd,analyzer}.txt"
case $crc in
0) exit 0 ;;
1) exit 1 ;;
*) exit 99 ;;
esac
