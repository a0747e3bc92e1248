#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-48-start-stop-no-reload.sh: systemd's TEST-48-START-STOP-NO-RELOAD (Debian's
# systemd-tests, units/testsuite-48.sh, unmodified) under systemd 252 and under sysmaster, each
# booted as upstream boots it (testsuite.target + systemd.wants=testsuite-48.service) in the
# sandbox with an overlay root (run-systemd-test.sh; spec conformance.md §1.5).  Units whose
# files appear after a failed lookup must start without daemon-reload: on a direct start, after
# the unit cache was rebuilt for an unrelated unit, and when a target pulls the unit in.
# Both managers must pass (systemd 252 is the reference: if it fails in this isolation, the
# verdicts are compared).  Skipped steps: none.
# Outputs: $top_builddir/test/test-48.out/{systemd,sysmaster}/ (state/testsuite.log is the
# script's trace, state/overlay-upper what it wrote to /).
# Exit: 0 pass, 1 fail, 77 skipped (not root, sysmaster not built, systemd-tests missing).
set -uo pipefail

. "$(cd "$(dirname "$0")" && pwd)/systemd-test-lib.sh"
conf_run_both test-48 48 -T "${TEST48_TIMEOUT:-120}"
