# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# systemd-test-lib.sh: the common part of the tests that run one of systemd's own integration
# scripts under both managers (test-48-start-stop-no-reload.sh, test-03-jobs.sh).  Source it;
# it defines
#   conf_run_both NAME NN [run-systemd-test.sh options...]
#       runs run-systemd-test.sh for NN with systemd 252 (the reference) and with sysmaster,
#       outputs in $top_builddir/test/NAME.out/{systemd,sysmaster}; prints both verdicts and
#       the first differences of the two normalized traces (job ids, invocation ids, times
#       and unit names with random parts masked, pipelines' grep lines dropped) and of the units
#       left loaded at the end (mount units aside), both for information only.  Returns 0 when
#       sysmaster passes and the reference passes too, or when the reference fails in this
#       isolation (said so) and sysmaster reaches the same verdict; 1 otherwise; 77 when
#       sysmaster cannot run here (not root, not built, systemd-tests missing).

CONF_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

conf_norm_trace() { # the "+ grep" trace lines go: in a pipeline their order against the writer's races
        sed -E -e '/^\+ grep /d' -e 's/[0-9a-f]{32}/<id>/g' -e 's/job [0-9]+/job <n>/g' -e 's/^[0-9]+ +/<n> /' \
                -e 's/(START|END)_SEC=[0-9]+/\1_SEC=<t>/' -e 's/ELAPSED=[0-9]+/ELAPSED=<t>/' -e 's/^\+ test [0-9]+ -lt/+ test <t> -lt/' \
                -e 's/\[\[ [0-9]+ -/[[ <t> -/' -e 's/run-r[0-9a-f]+\.(scope|service)/run-r<id>.\1/g' \
                -e 's/^(\+ (START|END)_SEC=).*/\1<t>/' "$1" 2> /dev/null
}

conf_units() { # list-units --all output -> "unit load active sub" lines
        awk '$1 == "*" { $1 = "" } { sub(/^ +/, "") } $1 ~ /\.[a-z]+$/ && $1 !~ /\.mount$/ && $1 != "umount.target" { print $1, $2, $3, $4 }' "$1" |
                sed -E 's/run-r[0-9a-f]+/run-r<id>/' | sort
}

conf_run_both() {
        local name=$1 nn=$2 out m rc_ref rc_sm v_ref v_sm
        shift 2
        out=${top_builddir:-.}/test/$name.out
        rm -rf "$out"
        mkdir -p "$out"
        out=$(cd "$out" && pwd)
        for m in systemd sysmaster; do
                echo "=== $m"
                "$CONF_HERE/run-systemd-test.sh" -m "$m" -o "$out/$m" "$@" "$nn" 2>&1 | tee "$out/$m.log"
                echo "${PIPESTATUS[0]}" > "$out/$m.rc"
        done
        rc_ref=$(cat "$out/systemd.rc")
        rc_sm=$(cat "$out/sysmaster.rc")
        v_ref=$(sed -n 's/^verdict systemd [0-9]*: //p' "$out/systemd.log" | tail -1)
        v_sm=$(sed -n 's/^verdict sysmaster [0-9]*: //p' "$out/sysmaster.log" | tail -1)
        echo "=== TEST-$nn verdicts: systemd 252: ${v_ref:-none (rc $rc_ref)}; sysmaster: ${v_sm:-none (rc $rc_sm)}"
        if [ -s "$out/systemd/state/testsuite.log" ] && [ -s "$out/sysmaster/state/testsuite.log" ]; then
                if diff -u <(conf_norm_trace "$out/systemd/state/testsuite.log") \
                        <(conf_norm_trace "$out/sysmaster/state/testsuite.log") > "$out/trace.diff"; then
                        echo "traces (normalized): identical"
                else
                        echo "traces (normalized) differ (for information; $out/trace.diff):"
                        head -n 30 "$out/trace.diff"
                fi
        fi
        # The units left loaded (list-units --all at the end; mount units and umount.target, which
        # sysmaster does not have yet, aside): for information.
        if [ -s "$out/systemd/list-units.txt" ] && [ -s "$out/sysmaster/list-units.txt" ]; then
                if diff <(conf_units "$out/systemd/list-units.txt") <(conf_units "$out/sysmaster/list-units.txt") \
                        > "$out/units.diff"; then
                        echo "units loaded at the end (list-units --all, mounts aside): identical"
                else
                        echo "units loaded at the end differ (for information; $out/units.diff):"
                        head -n 20 "$out/units.diff"
                fi
        fi
        case "$rc_sm" in
        77) return 77 ;;
        0 | 1) ;;
        *) echo "FAIL: the harness failed for sysmaster (rc $rc_sm)"; return 1 ;;
        esac
        case "$rc_ref" in
        0)
                [ "$rc_sm" = 0 ] && { echo "PASS: both managers pass TEST-$nn"; return 0; }
                echo "FAIL: systemd 252 passes TEST-$nn here, sysmaster does not"
                return 1
                ;;
        77)
                echo "note: no reference run (systemd 252 missing); sysmaster alone"
                [ "$rc_sm" = 0 ] && return 0
                return 1
                ;;
        *)
                echo "note: the reference systemd 252 does not pass TEST-$nn in this isolation (rc $rc_ref); comparing verdicts"
                if [ "${v_ref%% *}" = "${v_sm%% *}" ]; then
                        echo "PASS: same verdict as the reference (${v_ref%% *})"
                        return 0
                fi
                echo "FAIL: the verdicts differ"
                return 1
                ;;
        esac
}
