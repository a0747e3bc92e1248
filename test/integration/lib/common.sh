# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034
# common.sh: helpers shared by the tests that boot systemd 252 in a namespace and compare
# its `systemctl show` with `sysmaster-analyze dump`.  Source it; it defines:
#   nsb_init NAME          checks root, tools and the analyser (exit 77 = skip, with the
#                          reason); sets NSB_LIB, NSB_T0, NSB_ANALYZER ($SYSMASTER_ANALYZE
#                          or $top_builddir/sysmaster-analyze; one below /tmp is copied
#                          into NSB_OUT, since /tmp is private inside) and NSB_OUT
#                          ($top_builddir/test/NAME.out, emptied); exports LC_ALL=C
#   nsb_inside PATH        PATH as the namespace sees it (NSB_OUT is /run/ns-out inside)
#   nsb_elapsed            seconds since nsb_init, e.g. "12.34"
#   nsb_valid_unit_name S  true if S is a valid unit name (plain, instance or template)
#   nsb_is_template S      true if S is a template name (foo@.service)
#   NSB_PROPS              the property list the comparisons use

NSB_PROPS=Id,Names,FragmentPath,DropInPaths,Description,Requires,Wants,BindsTo,PartOf,Conflicts,Before,After,Documentation,LoadState,UnitFileState
NSB_SYSTEMD=/lib/systemd/systemd

nsb_skip() {
        echo "SKIP: $*"
        exit 77
}

nsb_init() {
        local name=$1 t
        export LC_ALL=C
        NSB_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
        NSB_T0=$(date +%s.%N)
        [ "$(id -u)" = 0 ] || nsb_skip "needs root (boots systemd as PID 1 of private namespaces)"
        [ -x "$NSB_SYSTEMD" ] || nsb_skip "the reference manager $NSB_SYSTEMD is not installed"
        for t in systemctl unshare nsenter script findmnt pgrep timeout python3; do
                command -v "$t" > /dev/null || nsb_skip "missing tool $t"
        done
        findmnt -rn -t cgroup2 > /dev/null || nsb_skip "no cgroup2 mount on this host"

        NSB_ANALYZER=${SYSMASTER_ANALYZE:-${top_builddir:-.}/sysmaster-analyze}
        [ -f "$NSB_ANALYZER" ] && [ -x "$NSB_ANALYZER" ] || nsb_skip "$NSB_ANALYZER has not been built"
        NSB_ANALYZER=$(cd "$(dirname "$NSB_ANALYZER")" && pwd)/$(basename "$NSB_ANALYZER")

        NSB_OUT=${NSB_OUT:-${top_builddir:-.}/test/$name.out}
        rm -rf "$NSB_OUT"
        mkdir -p "$NSB_OUT"
        NSB_OUT=$(cd "$NSB_OUT" && pwd)
        case "$NSB_ANALYZER" in
        /tmp/*)
                mkdir -p "$NSB_OUT/bin"
                cp "$NSB_ANALYZER" "$NSB_OUT/bin/"
                NSB_ANALYZER=$NSB_OUT/bin/$(basename "$NSB_ANALYZER")
                ;;
        esac
}

nsb_inside() {
        case "$1" in
        "$NSB_OUT"/*) echo "/run/ns-out/${1#"$NSB_OUT"/}" ;;
        *) echo "$1" ;;
        esac
}

nsb_elapsed() {
        awk -v a="$NSB_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}

nsb_valid_unit_name() {
        local n=$1 prefix type
        [ ${#n} -lt 256 ] || return 1
        type=${n##*.}
        prefix=${n%.*}
        [ "$prefix" != "$n" ] && [ -n "$prefix" ] || return 1
        case "$type" in
        service | socket | target | device | mount | automount | swap | timer | path | slice | scope) ;;
        *) return 1 ;;
        esac
        case "$prefix" in @*) return 1 ;; esac
        [[ $prefix =~ ^[A-Za-z0-9:_.@\\-]+$ ]]
}

nsb_is_template() {
        case "$1" in *@.*) [ "${1%%@*}@.${1##*.}" = "$1" ] ;; *) return 1 ;; esac
}

# --- The unit-tree comparisons (test-unit-tree.sh, test-debian-units.sh) -----------------------

# Prints the shell lines, for a setup hook, that write /run/systemd/system/sysmaster-hold.target:
# After= every name in $NS_OUT/tree-names.txt, which keeps every unit loaded without starting any.
nsb_hold_target_lines() {
        cat << 'EOF_HOLD'
{
        echo '[Unit]'
        echo 'Description=sysmaster unit tree hold target'
        echo 'DefaultDependencies=no'
        while IFS= read -r n; do
                printf 'After=%s\n' "$(printf '%s' "$n" | sed 's/%/%%/g')"
        done < "$NS_OUT/tree-names.txt"
} > /run/systemd/system/sysmaster-hold.target
EOF_HOLD
}

# Writes $NSB_OUT/run.sh: inside the namespace, `systemctl show -p $PROPS` and
# `$ANALYZER dump -p $PROPS` over $NS_OUT/names.txt, with their exit codes, stderr and times.
nsb_write_capture_script() {
        cat > "$NSB_OUT/run.sh" << 'EOF_RUN'
# Inside the namespace, systemd answering: capture both sides.
set -u
mapfile -t names < "$NS_OUT/names.txt"
t0=$(date +%s.%N)
systemctl show -p "$PROPS" "${names[@]}" > "$NS_OUT/systemd.txt" 2> "$NS_OUT/systemd.err"
echo $? > "$NS_OUT/systemd.rc"
t1=$(date +%s.%N)
"$ANALYZER" dump -p "$PROPS" "${names[@]}" > "$NS_OUT/analyzer.txt" 2> "$NS_OUT/analyzer.err"
echo $? > "$NS_OUT/analyzer.rc"
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "systemctl_show_s=%.2f analyzer_s=%.2f\n", b - a, c - b }' > "$NS_OUT/run-times.txt"
# systemctl cat against sysmaster-analyze cat, same names (stdout and exit status).
SYSTEMD_PAGER= systemctl cat "${names[@]}" > "$NS_OUT/systemd-cat.txt" 2> /dev/null
echo $? > "$NS_OUT/systemd-cat.rc"
"$ANALYZER" cat "${names[@]}" > "$NS_OUT/analyzer-cat.txt" 2> /dev/null
echo $? > "$NS_OUT/analyzer-cat.rc"
# The loaded-unit count, for the record.
systemctl list-units --all --no-legend --plain | wc -l > "$NS_OUT/loaded-units.txt"
EOF_RUN
}

# Boots systemd over the tree (TREE: host|controlled, TIMEOUT in s) with $NSB_OUT/setup.sh and
# the capture script, then reports what either side wrote to stderr. Exits 99 when the boot or
# systemctl show failed (a harness problem, not a difference).
nsb_boot_and_capture() {
        local tree=$1 timeout=$2 rc=0 side
        nsb_write_capture_script
        "$NSB_LIB/ns-boot.sh" -o "$NSB_OUT" -t "$tree" -s "$NSB_OUT/setup.sh" -r "$NSB_OUT/run.sh" \
                -R "$timeout" -E "PROPS=$NSB_PROPS" -E "ANALYZER=$(nsb_inside "$NSB_ANALYZER")" || rc=$?
        if [ $rc -ne 0 ]; then
                echo "ns-boot failed (rc=$rc); see $NSB_OUT/ns-boot.log and $NSB_OUT/console.log"
                exit 99
        fi
        for side in systemd analyzer; do
                if [ "$(cat "$NSB_OUT/$side.rc")" != 0 ] || [ -s "$NSB_OUT/$side.err" ]; then
                        echo "$side: exit status $(cat "$NSB_OUT/$side.rc"); stderr:"
                        head -n 20 "$NSB_OUT/$side.err" | sed '$a\'
                fi
        done
        [ "$(cat "$NSB_OUT/systemd.rc")" = 0 ] || { echo "systemctl show failed"; exit 99; }
}

# Compares the two captures into $NSB_OUT/diff.txt; prints nothing. Returns 0 equal,
# 1 differences (or the analyser failed), >1 comparator error.
nsb_compare_capture() {
        local order=() crc=0
        [ "${COMPARE_IGNORE_ORDER:-0}" != 1 ] || order=(--no-order)
        python3 "$NSB_LIB/compare-show.py" "${order[@]}" --label-a systemd --label-b sysmaster-analyze \
                "$NSB_OUT/names.txt" "$NSB_OUT/systemd.txt" "$NSB_OUT/analyzer.txt" > "$NSB_OUT/diff.txt" || crc=$?
        if [ "$(cat "$NSB_OUT/analyzer.rc")" != 0 ]; then
                echo "sysmaster-analyze dump exited with $(cat "$NSB_OUT/analyzer.rc")" >> "$NSB_OUT/diff.txt"
                [ "$crc" -ne 0 ] || crc=1
        fi
        # cat: the same bytes, and failing (a unit without files) on the same occasions.
        if ! diff -u --label "systemctl cat" --label "sysmaster-analyze cat" "$NSB_OUT/systemd-cat.txt" \
                "$NSB_OUT/analyzer-cat.txt" > "$NSB_OUT/cat-diff.txt"; then
                { echo "cat: outputs differ:"; head -n 60 "$NSB_OUT/cat-diff.txt"; } >> "$NSB_OUT/diff.txt"
                [ "$crc" -ne 0 ] || crc=1
        fi
        if { [ "$(cat "$NSB_OUT/systemd-cat.rc")" = 0 ] && [ "$(cat "$NSB_OUT/analyzer-cat.rc")" != 0 ]; } ||
           { [ "$(cat "$NSB_OUT/systemd-cat.rc")" != 0 ] && [ "$(cat "$NSB_OUT/analyzer-cat.rc")" = 0 ]; }; then
                echo "cat: exit status systemctl $(cat "$NSB_OUT/systemd-cat.rc"), sysmaster-analyze $(cat "$NSB_OUT/analyzer-cat.rc")" >> "$NSB_OUT/diff.txt"
                [ "$crc" -ne 0 ] || crc=1
        fi
        echo "cat: $(wc -l < "$NSB_OUT/systemd-cat.txt") lines of systemctl cat compared" >> "$NSB_OUT/diff.txt"
        return "$crc"
}
