#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# gen-units.sh DIR N TYPE
#   Writes the benchmark unit set into DIR (later copied into the namespace's
#   unit dir, /etc/systemd/system by default):
#     svc-1..N.service   TYPE=simple : Type=simple,  ExecStart=/bin/sleep infinity
#                        TYPE=exec   : Type=exec,    ExecStart=/bin/sleep infinity
#                        TYPE=oneshot: Type=oneshot, RemainAfterExit=yes, ExecStart=/bin/true
#     bench-done.service After= every svc-K; runs /run/bench/mark done (writes a
#                        CLOCK_REALTIME timestamp to /run/bench/done)
#     bench.target       Wants= every svc-K and bench-done.service
#     default.target ->  bench.target
#   Every unit has DefaultDependencies=no so that nothing from the distribution's
#   unit set (sysinit.target, tmpfiles, udev, journald ...) is pulled in: those
#   would touch the host file system and would not measure the manager.
set -eu
dir=$1 n=$2 type=$3
mkdir -p "$dir"
case "$type" in
    simple|exec)
        svc_body="Type=$type
ExecStart=/bin/sleep infinity" ;;
    oneshot)
        svc_body="Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true" ;;
    *) echo "gen-units: unknown type $type" >&2; exit 2 ;;
esac

for ((k = 1; k <= n; k++)); do
    printf '[Unit]\nDescription=bench service %d\nDefaultDependencies=no\n\n[Service]\n%s\n' \
        "$k" "$svc_body" > "$dir/svc-$k.service"
done

# Dependency lists, 50 names per line (one long line works for systemd too,
# but shorter lines are kinder to simple parsers).
deplines() { # KEY
    local key=$1 line="" k c=0
    for ((k = 1; k <= n; k++)); do
        line+=" svc-$k.service"; c=$((c + 1))
        if ((c == 50)); then echo "$key=${line# }"; line=""; c=0; fi
    done
    [ -z "$line" ] || echo "$key=${line# }"
}

{
    printf '[Unit]\nDescription=bench completion marker\nDefaultDependencies=no\n'
    deplines After
    printf '\n[Service]\nType=oneshot\nExecStart=/run/bench/mark done\n'
} > "$dir/bench-done.service"

{
    printf '[Unit]\nDescription=bench target (%d %s services)\nDefaultDependencies=no\nAllowIsolate=yes\n' "$n" "$type"
    deplines Wants
    printf 'Wants=bench-done.service\n'
} > "$dir/bench.target"

ln -sf bench.target "$dir/default.target"
