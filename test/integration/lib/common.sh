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
