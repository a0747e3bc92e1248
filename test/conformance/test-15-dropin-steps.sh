# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2153
# test-15-dropin-steps.sh: the loading-side subtests of systemd's TEST-15-DROPIN
# (test/units/testsuite-15.sh), run inside the namespace booted by test-15-dropin.sh.
#
# Each step creates files in the controlled unit tree (tmpfs over /etc/systemd/system and
# /usr/lib/systemd/system, private /run and /tmp), runs `systemctl daemon-reload`, then
# captures `systemctl show -p PROPS UNIT...` and `$ANALYZER dump -p PROPS UNIT...` into
# $NS_OUT/steps/NN-NAME/, together with the TEST-15 expectations of that step
# (check_ok / check_ko substring tests), which the host checks against both outputs.
# Services are never started: where upstream starts a unit, only the loading-side
# properties are checked.  "/" is read-only here, so the linked-unit targets that
# upstream puts in / live in $LINKDIR (a tmpfs).
#
# Environment: NS_OUT, ANALYZER, PROPS (base property list), TEST15_EXTRA=1 to add the
# loading-side parts of the slice and transient subtests (not in the default set).
set -eu
set -o pipefail

E=/etc/systemd/system
R=/run/systemd/system
U=/usr/lib/systemd/system
LINKDIR=/run/test15-root
STEPS=$NS_OUT/steps
mkdir -p "$STEPS" "$LINKDIR"
nstep=0
CUR=

log() {
        echo "test-15: $*"
}

# Remove a unit's files and .d/.wants/.requires directories from the three directories
# (what upstream's clear_unit effectively does for the names this script uses).
reset_unit() {
        local d
        for d in $E $R $U; do
                rm -f "$d/$1"
                rm -rf "$d/$1.d" "$d/$1.wants" "$d/$1.requires"
        done
}

# Upstream reloads here; every step reloads before it captures, which is enough.
reset_units() {
        local u
        for u in "$@"; do
                reset_unit "$u"
        done
}

# A service in /etc (ExecStart=sleep 100000) with empty .d/.wants/.requires directories
# under /etc, /run and /usr/lib, like upstream's create_service.
new_service() {
        local d
        reset_units "$1.service"
        printf '[Unit]\nDescription=%s unit\n\n[Service]\nExecStart=sleep 100000\n' "$1" > "$E/$1.service"
        for d in $E $R $U; do
                mkdir -p "$d/$1.service.d" "$d/$1.service.wants" "$d/$1.service.requires"
        done
}

new_services() {
        local s
        for s in "$@"; do
                new_service "$s"
        done
}

# step NAME [+EXTRA,PROPS] UNIT...: daemon-reload, capture both sides.
step() {
        local name=$1 props=$PROPS
        shift
        case "$1" in +*) props="$props,${1#+}"; shift ;; esac
        systemctl daemon-reload
        nstep=$((nstep + 1))
        CUR=$STEPS/$(printf '%02d' $nstep)-$name
        mkdir -p "$CUR"
        printf '%s\n' "$@" > "$CUR/names"
        : > "$CUR/expect"
        find $E $R $U "$LINKDIR" /tmp -mindepth 1 ! -type d \( -type l -printf '%p -> %l\n' -o -printf '%p\n' \) 2> /dev/null | sort > "$CUR/tree.txt" || true
        local rc=0
        systemctl show -p "$props" "$@" > "$CUR/systemd.txt" 2> "$CUR/systemd.err" || rc=$?
        echo $rc > "$CUR/systemd.rc"
        rc=0
        "$ANALYZER" dump -p "$props" "$@" > "$CUR/analyzer.txt" 2> "$CUR/analyzer.err" || rc=$?
        echo $rc > "$CUR/analyzer.rc"
        log "step $(basename "$CUR"): $*"
}

# step_fails NAME UNIT: both sides must reject UNIT (non-zero exit status).
step_fails() {
        step "$@"
        echo nonzero > "$CUR/expect-rc"
}

ok() { # UNIT PROPERTY SUBSTRING: upstream's check_ok
        echo "$1 $2 ok $3" >> "$CUR/expect"
}

ko() { # UNIT PROPERTY SUBSTRING: upstream's check_ko
        echo "$1 $2 ko $3" >> "$CUR/expect"
}

test_basic_dropins() {
        log "basic drop-ins"
        new_services test15-a test15-b test15-c
        ln -s ../test15-b.service $E/test15-a.service.wants/
        ln -s ../test15-c.service $E/test15-b.service.wants/
        step basic-a-wants-b-wants-c test15-a.service test15-b.service test15-c.service
        ok test15-a Wants test15-b.service
        ok test15-b Wants test15-c.service

        new_services test15-a test15-b test15-c
        ln -s ../test15-b.service $E/test15-a.service.wants/
        ln -s ../test15-b.service $E/test15-a.service.requires/
        step basic-a-wants-requires-b test15-a.service test15-b.service
        ok test15-a Wants test15-b.service
        ok test15-a Requires test15-b.service

        new_service test15-a
        ln -s ../nonexistent.service $E/test15-a.service.wants/
        step basic-a-wants-nonexistent test15-a.service nonexistent.service
        ok test15-a Wants nonexistent.service

        ln -sf ../nonexistent.service $E/test15-a.service.requires/
        step basic-a-requires-nonexistent test15-a.service nonexistent.service
        ok test15-a Requires nonexistent.service

        # upstream starts a first, so that b is loaded when c pulls it in
        new_services test15-a test15-b test15-c
        ln -sf ../test15-b.service $E/test15-a.service.requires/
        ln -sf ../test15-b.service $E/test15-c.service.requires/
        step basic-a-c-require-b test15-a.service test15-b.service test15-c.service
        ok test15-c Requires test15-b.service

        new_services test15-a test15-b test15-c
        ln -sf test15-c.service $E/test15-c1.service
        ln -sf ../test15-c.service $E/test15-a.service.wants/
        ln -sf ../test15-c1.service $E/test15-b.service.wants/
        step basic-a-wants-alias test15-a.service test15-b.service test15-c.service test15-c1.service
        ok test15-a Wants test15-c.service
        ok test15-b Wants test15-c.service

        log "type-level drop-in"
        new_services test15-a test15-b
        step type-dropin-none +ExecCondition test15-a.service test15-b.service
        ko test15-a ExecCondition "/bin/echo a"
        ko test15-b ExecCondition "/bin/echo b"
        mkdir -p $U/service.d
        printf '[Service]\nExecCondition=/bin/echo %%n\n' > $U/service.d/override.conf
        step type-dropin +ExecCondition test15-a.service test15-b.service
        ok test15-a ExecCondition "/bin/echo test15-a"
        ok test15-b ExecCondition "/bin/echo test15-b"
        rm -rf $U/service.d

        reset_units test15-{a,b,c,c1}.service
}

test_linked_units() {
        log "linked units"
        new_service test15-a
        mv $E/test15-a.service $LINKDIR/
        ln -s $LINKDIR/test15-a.service $E/
        ln -s test15-a.service $E/test15-b.service
        step linked-same-basename test15-a.service test15-b.service
        ok test15-a Names test15-a.service
        ok test15-a Names test15-b.service

        mv $LINKDIR/test15-a.service $LINKDIR/test15-a@.scope
        ln -fs $LINKDIR/test15-a@.scope $E/test15-a.service
        step linked-cross-basename test15-a.service test15-b.service
        ok test15-a Names test15-a.service
        ok test15-a Names test15-b.service
        ko test15-a Names test15-a@

        rm $LINKDIR/test15-a@.scope
        reset_units test15-{a,b}.service
}

test_template_alias() {
        log "template (instance) alias"
        new_service test15-a@
        ln -s test15-a@inst.service $E/test15-b@inst.service
        step template-alias-forward test15-a@inst.service test15-a@other.service
        ok test15-a@inst Names test15-a@inst.service
        ok test15-a@inst Names test15-b@inst.service
        ok test15-a@other Names test15-a@other.service
        ko test15-a@other Names test15-b@other.service

        step template-alias-reverse test15-b@inst.service test15-b@other.service
        ok test15-b@inst Names test15-a@inst.service
        ok test15-b@inst Names test15-b@inst.service
        ko test15-b@other Names test15-a@other.service
        ok test15-b@other Names test15-b@other.service

        reset_units test15-{a,b}@.service
}

test_hierarchical_service_dropins() {
        local dropin
        log "hierarchical service drop-ins"
        new_services a-b-c
        step hier-service-none +ExecCondition a-b-c.service
        ko a-b-c ExecCondition "echo service.d"
        ko a-b-c ExecCondition "echo a-.service.d"
        ko a-b-c ExecCondition "echo a-b-.service.d"
        ko a-b-c ExecCondition "echo a-b-c.service.d"

        for dropin in service.d a-.service.d a-b-.service.d a-b-c.service.d; do
                mkdir -p $U/$dropin
                printf '\n[Service]\nExecCondition=echo %s\n        \n' "$dropin" > $U/$dropin/override.conf
                # a-b-c2.service (transient upstream) is compared as a unit without fragment
                step "hier-service-$dropin" +ExecCondition a-b-c.service a-b-c2.service
                ok a-b-c ExecCondition "echo $dropin"
        done
        for dropin in service.d a-.service.d a-b-.service.d a-b-c.service.d; do
                rm -rf "${U:?}/$dropin"
        done

        reset_units a-b-c.service
}

# Loading-side parts of the slice and transient subtests (TEST15_EXTRA=1).
test_hierarchical_slice_dropins() {
        local dropin
        log "hierarchical slice drop-ins (without the transient slice)"
        step hier-slice-none +MemoryMax a-b-c.slice
        ok a-b-c.slice Description "Slice /a/b/c"
        ok a-b-c.slice MemoryMax "infinity"
        for dropin in slice.d a-.slice.d a-b-.slice.d a-b-c.slice.d; do
                mkdir -p $U/$dropin
                printf '\n[Slice]\nMemoryMax=1000000000\n        \n' > $U/$dropin/override.conf
                step "hier-slice-$dropin" +MemoryMax a-b-c.slice
                ok a-b-c.slice MemoryMax "1000000000"
                rm $U/$dropin/override.conf
        done
        printf '\n[Slice]\nMemoryMax=1000000001\n        \n' > $U/a-b-c.slice
        step hier-slice-fragment +MemoryMax a-b-c.slice
        ok a-b-c.slice MemoryMax "1000000001"
        reset_units a-b-c.slice
}

test_transient_dropins_without_unit() {
        log "transient-unit drop-ins before the unit exists"
        mkdir -p $E/service.d $E/a-.service.d $E/a-b-.service.d $E/a-b-c.service.d
        printf '[Service]\nStandardInputText=aaa\n' > $E/service.d/drop1.conf
        printf '[Service]\nStandardInputText=bbb\n' > $E/a-.service.d/drop2.conf
        printf '[Service]\nStandardInputText=ccc\n' > $E/a-b-.service.d/drop3.conf
        printf '[Service]\nStandardInputText=ddd\n' > $E/a-b-c.service.d/drop4.conf
        # upstream: `systemctl cat a-b-c.service` fails (no fragment): the unit is not found
        step transient-service-no-fragment +StandardInputData a-b-c.service
        ok a-b-c.service LoadState not-found
        reset_units a-b-c.service
        rm $E/service.d/drop1.conf $E/a-.service.d/drop2.conf $E/a-b-.service.d/drop3.conf

        mkdir -p $E/slice.d $E/a-.slice.d $E/a-b-.slice.d $E/a-b-c.slice.d
        printf '[Unit]\nDocumentation=man:drop1\n' > $E/slice.d/drop1.conf
        printf '[Unit]\nDocumentation=man:drop2\n' > $E/a-.slice.d/drop2.conf
        printf '[Unit]\nDocumentation=man:drop3\n' > $E/a-b-.slice.d/drop3.conf
        printf '[Unit]\nDocumentation=man:drop4\n' > $E/a-b-c.slice.d/drop4.conf
        # upstream: `systemctl cat a-b-c.slice` works (slices need no fragment)
        step transient-slice-no-fragment a-b-c.slice
        ok a-b-c.slice LoadState loaded
        ok a-b-c.slice Documentation "man:drop1 man:drop2 man:drop3 man:drop4"
        reset_units a-b-c.slice
        rm $E/slice.d/drop1.conf $E/a-.slice.d/drop2.conf $E/a-b-.slice.d/drop3.conf
}

test_template_dropins() {
        local i
        log "template drop-ins"
        new_services foo bar@ yup@
        printf '[Unit]\nAfter=bar-template-after.device\n' >> $E/bar@.service
        printf '[Unit]\nAfter=yup-template-after.device\n' >> $E/yup@.service
        ln -s $E/bar@.service $E/foo.service.wants/bar@1.service
        step template-dropins-wants foo.service
        ok foo Wants bar@1.service

        ln -s bar@.service $E/bar-alias@.service
        ln -s bar@1.service $E/bar-alias@1.service
        ln -s yup@.service $E/bar-alias@2.service
        ln -s yup@3.service $E/bar-alias@3.service
        mkdir -p $E/bar@{,0,1,2,3}.service.requires/ $E/yup@{,0,1,2,3}.service.requires/ \
                $E/bar-alias@{,0,1,2,3}.service.requires/
        for i in template 0 1 2 3; do
                if [ $i = template ]; then
                        ln -s ../bar-template-requires.device $E/bar@.service.requires/
                        ln -s ../yup-template-requires.device $E/yup@.service.requires/
                        ln -s ../bar-alias-template-requires.device $E/bar-alias@.service.requires/
                else
                        ln -s ../bar-$i-requires.device $E/bar@$i.service.requires/
                        ln -s ../yup-$i-requires.device $E/yup@$i.service.requires/
                        ln -s ../bar-alias-$i-requires.device $E/bar-alias@$i.service.requires/
                fi
        done
        step template-dropins foo.service bar@0.service bar-alias@0.service bar@1.service bar-alias@1.service \
                bar@2.service bar-alias@2.service bar@3.service bar-alias@3.service

        # bar@0 is aliased by bar-alias@0
        ok bar@0 Names bar@0
        ok bar@0 Names bar-alias@0
        ok bar@0 After bar-template-after.device
        ok bar@0 Requires bar-0-requires.device
        ok bar@0 Requires bar-alias-0-requires.device
        ok bar@0 Requires bar-template-requires.device
        ok bar@0 Requires bar-alias-template-requires.device
        ko bar@0 Requires yup-template-requires.device
        ok bar-alias@0 After bar-template-after.device
        ok bar-alias@0 Requires bar-0-requires.device
        ok bar-alias@0 Requires bar-alias-0-requires.device
        ok bar-alias@0 Requires bar-template-requires.device
        ok bar-alias@0 Requires bar-alias-template-requires.device
        ko bar-alias@0 Requires yup-template-requires.device
        ko bar-alias@0 Requires yup-0-requires.device

        # bar@1 is aliased by bar-alias@1
        ok bar@1 Names bar@1
        ok bar@1 Names bar-alias@1
        ok bar@1 After bar-template-after.device
        ok bar@1 Requires bar-1-requires.device
        ok bar@1 Requires bar-alias-1-requires.device
        ok bar@1 Requires bar-template-requires.device
        ok bar@1 Requires bar-alias-template-requires.device
        ko bar@1 Requires yup-template-requires.device
        ko bar@1 Requires yup-1-requires.device
        ok bar-alias@1 After bar-template-after.device
        ok bar-alias@1 Requires bar-1-requires.device
        ok bar-alias@1 Requires bar-alias-1-requires.device
        ok bar-alias@1 Requires bar-template-requires.device
        ok bar-alias@1 Requires bar-alias-template-requires.device
        ko bar-alias@1 Requires yup-template-requires.device
        ko bar-alias@1 Requires yup-1-requires.device

        # bar-alias@2 aliases yup@2, bar@2 is independent
        ok bar@2 Names bar@2
        ko bar@2 Names bar-alias@2
        ok bar@2 After bar-template-after.device
        ok bar@2 Requires bar-2-requires.device
        ko bar@2 Requires bar-alias-2-requires.device
        ok bar@2 Requires bar-template-requires.device
        ko bar@2 Requires bar-alias-template-requires.device
        ko bar@2 Requires yup-template-requires.device
        ko bar@2 Requires yup-2-requires.device
        ko bar-alias@2 After bar-template-after.device
        ko bar-alias@2 Requires bar-2-requires.device
        ok bar-alias@2 Requires bar-alias-2-requires.device
        ko bar-alias@2 Requires bar-template-requires.device
        ok bar-alias@2 Requires bar-alias-template-requires.device
        ok bar-alias@2 Requires yup-template-requires.device
        ok bar-alias@2 Requires yup-2-requires.device

        # bar-alias@3 aliases yup@3, bar@3 is independent
        ok bar@3 Names bar@3
        ko bar@3 Names bar-alias@3
        ok bar@3 After bar-template-after.device
        ok bar@3 Requires bar-3-requires.device
        ko bar@3 Requires bar-alias-3-requires.device
        ok bar@3 Requires bar-template-requires.device
        ko bar@3 Requires bar-alias-template-requires.device
        ko bar@3 Requires yup-template-requires.device
        ko bar@3 Requires yup-3-requires.device
        ko bar-alias@3 After bar-template-after.device
        ko bar-alias@3 Requires bar-3-requires.device
        ok bar-alias@3 Requires bar-alias-3-requires.device
        ko bar-alias@3 Requires bar-template-requires.device
        ok bar-alias@3 Requires bar-alias-template-requires.device
        ok bar-alias@3 Requires yup-template-requires.device
        ok bar-alias@3 Requires yup-3-requires.device

        reset_units foo.service {bar,yup,bar-alias}@{,1,2,3}.service
}

test_alias_dropins() {
        log "alias drop-ins"
        new_services test15-a test15-b
        ln -sf test15-b.service $E/test15-b1.service
        ln -sf ../test15-b1.service $E/test15-a.service.wants/
        step alias-a-wants-b1 test15-a.service test15-b1.service
        ok test15-a Wants test15-b.service
        rm $E/test15-b1.service
        reset_units test15-{a,b}.service

        # upstream checks a1 before and after starting a; the loaded view is the same
        new_services test15-a test15-x test15-y
        mkdir -p $E/test15-a1.service.wants/
        ln -sf test15-a.service $E/test15-a1.service
        ln -sf ../test15-x.service $E/test15-a.service.wants/
        ln -sf ../test15-y.service $E/test15-a1.service.wants/
        step alias-a1-wants test15-a1.service test15-a.service
        ok test15-a1 Wants test15-x.service
        ok test15-a1 Wants test15-y.service
        step alias-a-wants test15-a.service test15-a1.service
        ok test15-a1 Wants test15-x.service
        ok test15-a1 Wants test15-y.service
        rm $E/test15-a1.service
        reset_units test15-{a,x,y}.service
}

test_masked_dropins() {
        log "masked drop-ins"
        new_services test15-a test15-b

        ln -sf /dev/null $E/test15-a.service.wants/test15-b.service
        ln -sf /dev/null $E/test15-a.service.requires/test15-b.service
        step masked-wants-requires test15-a.service
        ko test15-a Wants test15-b.service
        ko test15-a Requires test15-b.service

        ln -sf ../test15-b.service $E/test15-a.service.wants/test15-b.service
        ln -sf /dev/null $U/test15-a.service.wants/test15-b.service
        step masked-lower-mask-overridden test15-a.service
        ok test15-a Wants test15-b.service

        ln -sf /dev/null $E/test15-a.service.wants/test15-b.service
        ln -sf ../test15-b.service $U/test15-a.service.wants/test15-b.service
        step masked-higher-mask test15-a.service
        ko test15-a Wants test15-b.service

        new_services test15-a test15-b
        ln -sf /dev/null $E/test15-a.service
        printf '[Unit]\nAfter=test15-b.service\n' > $U/test15-a.service.d/override.conf
        step masked-unit-with-override +UnitFileState test15-a.service
        ok test15-a UnitFileState masked

        new_services test15-a test15-b
        ln -sf test15-b.service $E/test15-b1.service
        ln -sf /dev/null $E/test15-a.service.wants/test15-b.service
        ln -sf ../test15-b1.service $U/test15-a.service.wants/test15-b1.service
        step masked-dep-alias-unmasked test15-a.service test15-b1.service
        ok test15-a Wants test15-b.service
        ko test15-a Wants test15-b1.service
        rm $E/test15-b1.service

        new_services test15-a test15-b
        ln -sf test15-b.service $E/test15-b1.service
        ln -sf /dev/null $E/test15-a.service.wants/test15-b1.service
        ln -sf ../test15-b.service $U/test15-a.service.wants/test15-b.service
        step masked-alias-dep-masked test15-a.service
        ok test15-a Wants test15-b.service
        ko test15-a Wants test15-b1.service
        rm $E/test15-b1.service

        new_services test15-a test15-b
        ln -sf /dev/null $E/test15-a.service.wants/test15-b.service
        printf '[Unit]\nWants=test15-b.service\n' > $U/test15-a.service.d/wants-b.conf
        step masked-dep-and-wants-setting test15-a.service
        ok test15-a Wants test15-b.service

        new_services test15-a
        ln -sf /dev/null $E/test15-a.service.requires/nonexistent.service
        ln -sf ../nonexistent.service $U/test15-a.service.requires/
        step masked-nonexistent test15-a.service
        ko test15-a Requires nonexistent.service

        # upstream starts a first (b loaded when c pulls it in)
        new_services test15-a test15-b test15-c
        ln -sf ../test15-b.service $E/test15-a.service.requires/
        ln -sf ../test15-b.service $R/test15-c.service.requires/
        ln -sf /dev/null $E/test15-c.service.requires/test15-b.service
        step masked-loaded-dep-masked-higher test15-a.service test15-b.service test15-c.service
        ko test15-c Requires test15-b.service

        new_services test15-a test15-b test15-c
        ln -sf ../test15-b.service $E/test15-a.service.requires/
        ln -sf ../test15-b.service $E/test15-c.service.requires/
        ln -sf /dev/null $R/test15-c.service.requires/test15-b.service
        step masked-loaded-dep-masked-lower test15-a.service test15-b.service test15-c.service
        ok test15-c Requires test15-b.service

        new_services test15-a test15-b
        ln -sf test15-b.service $E/test15-b1.service
        ln -sf test15-b.service $E/test15-b2.service
        ln -sf /dev/null $E/test15-a.service.requires/test15-b1.service
        ln -sf ../test15-b1.service $R/test15-a.service.requires/
        ln -sf ../test15-b2.service $U/test15-a.service.requires/
        step masked-one-alias-of-two test15-a.service
        ok test15-a Requires test15-b

        new_services test15-a test15-b
        ln -sf test15-b.service $E/test15-b1.service
        ln -sf test15-b.service $E/test15-b2.service
        ln -sf ../test15-b1.service $R/test15-a.service.requires/
        ln -sf ../test15-b2.service $U/test15-a.service.requires/
        ln -sf /dev/null $E/test15-a.service.requires/test15-b.service
        step masked-real-name-aliases-not test15-a.service
        ok test15-a Requires test15-b

        reset_units test15-{a,b}.service
}

test_invalid_dropins() {
        log "invalid drop-ins"
        step_fails invalid-template-nonexistent nonexistent@.service
        new_services a
        step_fails invalid-template-of-plain a@.service
        # the manager survived, the unit is intact
        step invalid-after a.service
        ok a LoadState loaded
        reset_units a.service
}

test_symlink_dropin_directory() {
        log "symlinked drop-in directory (#21920)"
        new_services test15-a
        rmdir $E/test15-a.service.d $R/test15-a.service.d $U/test15-a.service.d
        mkdir -p /tmp/testsuite-15-test15-a-dropin-directory
        ln -s /tmp/testsuite-15-test15-a-dropin-directory $E/test15-a.service.d
        printf '[Unit]\nDescription=hogehoge\n' > /tmp/testsuite-15-test15-a-dropin-directory/override.conf
        ln -s /tmp/testsuite-15-test15-a-dropin-directory-nonexistent $R/test15-a.service.d
        touch /tmp/testsuite-15-test15-a-dropin-directory-regular
        ln -s /tmp/testsuite-15-test15-a-dropin-directory-regular $U/test15-a.service.d
        step symlink-dropin-dir test15-a.service
        ok test15-a Description hogehoge
        reset_units test15-a.service
}

test_basic_dropins
test_linked_units
test_template_alias
test_hierarchical_service_dropins
if [ "${TEST15_EXTRA:-0}" = 1 ]; then
        test_hierarchical_slice_dropins
        test_transient_dropins_without_unit
fi
test_template_dropins
test_alias_dropins
test_masked_dropins
test_invalid_dropins
test_symlink_dropin_directory
log "all steps captured: $nstep"
