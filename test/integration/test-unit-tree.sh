#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-unit-tree.sh: the machine's own unit tree, systemd 252 against sysmaster-analyze.
#
# Boots the real systemd 252 as PID 1 of private namespaces (lib/ns-boot.sh) over the
# installed /lib/systemd/system, /usr/lib/systemd/system and /etc/systemd/system, into
# sysmaster-hold.target, which is ordered After= every unit name found there (templates
# excluded): an After= dependency of an active unit keeps every unit loaded without
# starting any.  Inside, `systemctl show -p PROPS NAME...` and
# `sysmaster-analyze dump -p PROPS NAME...` print the same names; the word lists are
# normalised (sorted, mount/swap/device/automount words dropped) and compared per unit
# and property.
#
# Environment: top_builddir (analyser at $top_builddir/sysmaster-analyze, outputs in
# $top_builddir/test/unit-tree.out), SYSMASTER_ANALYZE (another analyser),
# UNIT_TREE_SKIP_TYPES (unit types left out of the compared names; default none: every
# unit file of the tree is compared, mount and swap units included),
# COMPARE_IGNORE_ORDER=1 (do not compare the order of properties), NSB_OUT.
# Exit: 0 equal, 1 differences, 77 skipped (not root, no systemd, no analyser), 99 error.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"
nsb_init unit-tree
OUT=$NSB_OUT
SKIP_TYPES=${UNIT_TREE_SKIP_TYPES-}

# Unit names of the installed tree (the namespace sees the same files, read-only).
# Regular files and symlinks with valid names; templates excluded.
all=()
skipped=0
while IFS= read -r n; do
        nsb_valid_unit_name "$n" || continue
        nsb_is_template "$n" && continue
        all+=("$n")
done < <(for d in /lib/systemd/system /usr/lib/systemd/system /etc/systemd/system; do
        [ -d "$d" ] || continue
        find "$d" -mindepth 1 -maxdepth 1 \( -type f -o -type l \) -printf '%f\n'
done | sort -u)
[ ${#all[@]} -gt 0 ] || { echo "no units found"; exit 99; }
printf '%s\n' "${all[@]}" > "$OUT/tree-names.txt"
{
        echo sysmaster-hold.target
        for n in "${all[@]}"; do
                case " $SKIP_TYPES " in *" ${n##*.} "*) skipped=$((skipped + 1)); continue ;; esac
                echo "$n"
        done
} > "$OUT/names.txt"

cat > "$OUT/setup.sh" << 'EOF'
# Inside the namespace, before systemd starts: the hold target, After= every unit.
set -eu
{
        echo '[Unit]'
        echo 'Description=sysmaster unit tree hold target'
        echo 'DefaultDependencies=no'
        while IFS= read -r n; do
                printf 'After=%s\n' "$(printf '%s' "$n" | sed 's/%/%%/g')"
        done < "$NS_OUT/tree-names.txt"
} > /run/systemd/system/sysmaster-hold.target
EOF

cat > "$OUT/run.sh" << 'EOF'
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
# The loaded-unit count, for the record.
systemctl list-units --all --no-legend --plain | wc -l > "$NS_OUT/loaded-units.txt"
EOF

rc=0
"$NSB_LIB/ns-boot.sh" -o "$OUT" -t host -s "$OUT/setup.sh" -r "$OUT/run.sh" -R 600 \
        -E "PROPS=$NSB_PROPS" -E "ANALYZER=$(nsb_inside "$NSB_ANALYZER")" || rc=$?
if [ $rc -ne 0 ]; then
        echo "ns-boot failed (rc=$rc); see $OUT/ns-boot.log and $OUT/console.log"
        exit 99
fi

for side in systemd analyzer; do
        if [ "$(cat "$OUT/$side.rc")" != 0 ] || [ -s "$OUT/$side.err" ]; then
                echo "$side: exit status $(cat "$OUT/$side.rc"); stderr:"
                head -n 20 "$OUT/$side.err" | sed '$a\'
        fi
done
[ "$(cat "$OUT/systemd.rc")" = 0 ] || { echo "systemctl show failed"; exit 99; }

order=()
[ "${COMPARE_IGNORE_ORDER:-0}" != 1 ] || order=(--no-order)
crc=0
python3 "$NSB_LIB/compare-show.py" "${order[@]}" --label-a systemd --label-b sysmaster-analyze \
        "$OUT/names.txt" "$OUT/systemd.txt" "$OUT/analyzer.txt" | tee "$OUT/diff.txt" || crc=${PIPESTATUS[0]}
[ "$(cat "$OUT/analyzer.rc")" = 0 ] || { echo "sysmaster-analyze dump exited with $(cat "$OUT/analyzer.rc")"; [ "$crc" -ne 0 ] || crc=1; }

echo "unit names in the tree: ${#all[@]} (left out, types '$SKIP_TYPES': $skipped)," \
        "loaded in systemd: $(cat "$OUT/loaded-units.txt")"
echo "$(cat "$OUT/run-times.txt"); $(grep boot_s "$OUT/ns-boot.log"); test took $(nsb_elapsed)s"
echo "raw outputs: $OUT/{systemd,analyzer}.txt"
case $crc in
0) exit 0 ;;
1) exit 1 ;;
*) exit 99 ;;
esac
