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

{
        echo '# Inside the namespace, before systemd starts: the hold target, After= every unit.'
        echo 'set -eu'
        nsb_hold_target_lines
} > "$OUT/setup.sh"

nsb_boot_and_capture host 600
crc=0
nsb_compare_capture || crc=$?
cat "$OUT/diff.txt"

echo "unit names in the tree: ${#all[@]} (left out, types '$SKIP_TYPES': $skipped)," \
        "loaded in systemd: $(cat "$OUT/loaded-units.txt")"
echo "$(cat "$OUT/run-times.txt"); $(grep boot_s "$OUT/ns-boot.log"); test took $(nsb_elapsed)s"
echo "raw outputs: $OUT/{systemd,analyzer}.txt"
case $crc in
0) exit 0 ;;
1) exit 1 ;;
*) exit 99 ;;
esac
