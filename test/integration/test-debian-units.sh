#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-debian-units.sh: the unit files of ~100 popular Debian 12 packages, systemd 252
# against sysmaster-analyze, without installing anything on the host.
#
# The packages' .debs are fetched with `apt-get download` into a cache, their systemd
# files (lib/, usr/lib/ and etc/systemd/system: unit files, drop-ins, .wants/.requires
# links, aliases, masks) are extracted into a scratch root below the output directory,
# together with a copy of the host's own /lib/systemd/system and /etc/systemd/system.
# The enablement the packages' postinst scripts do with `deb-systemd-helper enable` is
# reproduced with `systemctl --root=SCRATCH enable` (it writes below SCRATCH only), and
# so is the display-manager.service link the display managers' postinst writes.  The
# real systemd 252 then boots in private namespaces over that tree (ns-boot.sh -t
# controlled: tmpfs over the unit directories, filled by the setup hook) into
# sysmaster-hold.target, ordered After= every unit name of the tree (templates
# excluded), and `systemctl show` is compared with `sysmaster-analyze dump` exactly as
# test-unit-tree.sh does (same properties, same normalisation).
#
# Environment: top_builddir (analyser at $top_builddir/sysmaster-analyze, outputs in
# $top_builddir/test/debian-units.out), SYSMASTER_ANALYZE (another analyser),
# DEBIAN_UNITS_CACHE (the .deb cache, default $top_builddir/test/debian-units.cache;
# a second run downloads nothing), DEBIAN_UNITS_PACKAGES (another package list, blank
# separated), DEBIAN_UNITS_ENABLE ("postinst" (default): what the packages' postinst
# enables; "all": every package unit with an [Install] section; "none"),
# DEBIAN_UNITS_SKIP_TYPES (unit types left out of the compared names),
# COMPARE_IGNORE_ORDER=1, NSB_OUT.
# Exit: 0 equal, 1 differences, 77 skipped (not root, no systemd, no analyser, no apt,
# mirror unreachable), 99 error.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"
nsb_init debian-units
OUT=$NSB_OUT
SKIP_TYPES=${DEBIAN_UNITS_SKIP_TYPES-}
ENABLE=${DEBIAN_UNITS_ENABLE:-postinst}
case "$ENABLE" in postinst | all | none) ;; *) echo "DEBIAN_UNITS_ENABLE must be postinst, all or none"; exit 99 ;; esac
CACHE=${DEBIAN_UNITS_CACHE:-${top_builddir:-.}/test/debian-units.cache}

# Debian 12 packages that ship system units (each checked to ship at least one).
DEFAULT_PACKAGES="openssh-server cron anacron rsyslog logrotate nginx-common apache2
        postgresql-common mariadb-server avahi-daemon bluez network-manager modemmanager
        wpasupplicant cups-daemon cups-browsed lvm2 dmeventd mdadm multipath-tools
        open-iscsi nfs-kernel-server nfs-common rpcbind smartmontools udisks2 upower
        polkitd accountsservice lightdm gdm3 sddm plymouth console-setup-linux apparmor
        chrony ntpsec irqbalance fwupd docker.io containerd libvirt-daemon-system lxc
        sssd-common samba winbind squid haproxy bind9 unbound dnsmasq postfix exim4-base
        dovecot-core fail2ban ufw nftables netfilter-persistent ifupdown snmpd
        unattended-upgrades qemu-guest-agent cloud-init tuned power-profiles-daemon
        thermald colord packagekit flatpak rtkit geoclue-2.0 systemd-container
        systemd-resolved systemd-homed systemd-userdbd systemd-timesyncd systemd-oomd
        systemd-journal-remote lm-sensors auditd haveged memcached redis-server mosquitto
        openvpn strongswan-starter tor hostapd xrdp sysstat prometheus-node-exporter
        nut-server nut-client usbmuxd switcheroo-control iio-sensor-proxy bolt pcscd
        openvswitch-switch quota kexec-tools rasdaemon numad ndctl nvme-cli gpm rsync
        uuid-runtime open-vm-tools hyperv-daemons"
read -r -d '' -a PACKAGES <<< "${DEBIAN_UNITS_PACKAGES:-$DEFAULT_PACKAGES}" || true
[ ${#PACKAGES[@]} -gt 0 ] || { echo "empty package list"; exit 99; }
for t in apt-get apt-cache dpkg-deb tar; do
        command -v "$t" > /dev/null || nsb_skip "missing tool $t (a Debian host is needed)"
done

# --- The .debs: cached ones are used as they are, the others downloaded. ---------------
mkdir -p "$CACHE/debs" "$CACHE/x"
CACHE=$(cd "$CACHE" && pwd)
cached_deb() { # DEB= the cached .deb of package $1 (package names never contain '_')
        local f
        DEB=
        for f in "$CACHE/debs/$1"_*.deb; do
                [ -f "$f" ] && { DEB=$f; return 0; }
        done
        return 1
}
declare -A candidate=()
read_candidates() { # candidate[P]=1 for each package P of "$@" apt can download (one apt-cache)
        local p
        candidate=()
        while IFS= read -r p; do candidate[$p]=1; done < <(apt-cache policy "$@" 2> /dev/null |
                awk '/^[^ \t].*:$/ { p = substr($0, 1, length($0) - 1); next }
                     $1 == "Candidate:" && $2 != "(none)" && p != "" { print p }')
}
updated=0
apt_update() {
        [ $updated = 0 ] || return 0
        updated=1
        echo "apt-get update ..."
        # apt-get update exits 0 when it cannot reach the mirror (it keeps the old lists
        # and warns): its warnings count as a failure.
        local rc=0
        timeout 600 apt-get -q update > "$OUT/apt-update.log" 2>&1 || rc=$?
        cat "$OUT/apt-update.log" >> "$OUT/apt.log"
        if [ $rc -ne 0 ] || grep -qE '^(E: |W: Failed to fetch|W: Some index files failed)' "$OUT/apt-update.log"; then
                nsb_skip "apt-get update failed: the Debian mirror is unreachable (see $OUT/apt.log)"
        fi
}
missing=()
for p in "${PACKAGES[@]}"; do
        cached_deb "$p" || missing+=("$p")
done
unavailable=()
if [ ${#missing[@]} -gt 0 ]; then
        read_candidates "${missing[@]}"
        for p in "${missing[@]}"; do
                [ -n "${candidate[$p]:-}" ] || { apt_update; read_candidates "${missing[@]}"; break; }
        done
        fetch=()
        for p in "${missing[@]}"; do
                if [ -n "${candidate[$p]:-}" ]; then fetch+=("$p"); else unavailable+=("$p"); fi
        done
        if [ ${#fetch[@]} -gt 0 ]; then
                echo "downloading ${#fetch[@]} packages into $CACHE/debs ..."
                # A failure with fresh lists is the network's; with old lists the mirror may
                # have moved on (404): refresh them once and retry.
                # Into a fresh directory: only a complete download enters the cache.
                dl() {
                        rm -rf "$CACHE/dl.tmp"
                        mkdir "$CACHE/dl.tmp"
                        (cd "$CACHE/dl.tmp" && timeout 900 apt-get -q download "${fetch[@]}") >> "$OUT/apt.log" 2>&1 ||
                                { rm -rf "$CACHE/dl.tmp"; return 1; }
                        mv "$CACHE/dl.tmp/"*.deb "$CACHE/debs/"
                        rmdir "$CACHE/dl.tmp"
                }
                if ! dl; then
                        if [ $updated = 1 ]; then
                                nsb_skip "apt-get download failed: the Debian mirror is unreachable (see $OUT/apt.log)"
                        fi
                        apt_update
                        dl || nsb_skip "apt-get download failed: the Debian mirror is unreachable (see $OUT/apt.log)"
                fi
        fi
fi
[ ${#unavailable[@]} -eq 0 ] || echo "note: not in the apt lists, left out: ${unavailable[*]}"

# --- Extraction of each .deb's systemd files (cached too) and its postinst. -------------
# shellcheck disable=SC2317 # run by xargs
extract_deb() { # DEB DIR: DIR/root (the deb's systemd files), DIR/postinst, DIR/control
        local deb=$1 x=$2
        rm -rf "$x" "$x.tmp"
        mkdir -p "$x.tmp/root"
        dpkg-deb --fsys-tarfile "$deb" > "$x.tmp/data.tar" || return 1
        tar -tf "$x.tmp/data.tar" |
                grep -E '^\./(usr/)?lib/systemd/system/|^\./etc/systemd/system/' > "$x.tmp/members" || true
        if [ -s "$x.tmp/members" ]; then
                tar -xf "$x.tmp/data.tar" -C "$x.tmp/root" --no-recursion -T "$x.tmp/members" || return 1
        fi
        rm -f "$x.tmp/data.tar"
        dpkg-deb -I "$deb" postinst > "$x.tmp/postinst" 2> /dev/null || : > "$x.tmp/postinst"
        dpkg-deb -f "$deb" Package Version > "$x.tmp/control" || return 1
        touch "$x.tmp/.done"
        mv "$x.tmp" "$x"
}
export -f extract_deb
used=()
todo=()
for p in "${PACKAGES[@]}"; do
        cached_deb "$p" || continue
        x=${DEB##*/}
        x=$CACHE/x/${x%.deb}
        [ -f "$x/.done" ] || todo+=("$DEB" "$x")
        used+=("$p:$x")
done
if [ ${#todo[@]} -gt 0 ]; then # decompressing is the slow part: one job per CPU
        printf '%s\0' "${todo[@]}" | xargs -0 -n 2 -P "$(nproc)" bash -c 'extract_deb "$1" "$2"' extract ||
                { echo "could not extract the packages"; exit 99; }
fi
[ ${#used[@]} -gt 0 ] || nsb_skip "none of the packages is in the apt lists (not Debian 12?)"

# --- The scratch root: the host's tree, then the packages' files (in list order). -------
ROOT=$OUT/root
SYSDIR=usr/lib/systemd/system
mkdir -p "$ROOT/$SYSDIR" "$ROOT/etc/systemd/system"
ln -s usr/lib "$ROOT/lib" # merged /usr, as on the host
cp -a "$(realpath /lib/systemd/system)/." "$ROOT/$SYSDIR/"
[ ! -d /etc/systemd/system ] || cp -a /etc/systemd/system/. "$ROOT/etc/systemd/system/"
# Each package's files over the tree, in list order; owners.txt says which package (or
# "host") each file of the tree comes from, conflicts.txt which files a package replaced
# with different contents.
for e in "${used[@]}"; do printf '%s\n' "$e"; done > "$OUT/used.txt"
python3 - "$ROOT" "$SYSDIR" "$OUT/used.txt" "$OUT/owners.txt" "$OUT/conflicts.txt" << 'PY' > "$OUT/merge.txt"
import filecmp, os, shutil, sys
root, sysdir, used, owners_out, conflicts_out = sys.argv[1:]

def files_below(top):
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for n in sorted(dirs + files):
            p = os.path.join(d, n)
            if os.path.islink(p) or os.path.isfile(p):
                yield os.path.relpath(p, top)

def same(a, b):
    if os.path.islink(a) or os.path.islink(b):
        return os.path.islink(a) and os.path.islink(b) and os.readlink(a) == os.readlink(b)
    return filecmp.cmp(a, b, shallow=False)

owner = {f: "host" for d in (sysdir, "etc/systemd/system") for f in
         (os.path.join(d, r) for r in files_below(os.path.join(root, d)))}
conflicts, n = [], 0
for line in open(used):
    pkg, x = line.rstrip("\n").split(":", 1)
    for f in files_below(os.path.join(x, "root")):
        dst = sysdir + f[len("lib/systemd/system"):] if f.startswith("lib/systemd/system/") else f
        src, tgt = os.path.join(x, "root", f), os.path.join(root, dst)
        if os.path.lexists(tgt):
            if not same(src, tgt):
                conflicts.append(f"{dst}: {pkg} replaces the file of {owner.get(dst, '?')}")
            os.unlink(tgt)
        os.makedirs(os.path.dirname(tgt), exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), tgt)
        else:
            shutil.copy2(src, tgt)
        owner[dst] = pkg
        n += 1
with open(owners_out, "w") as f:
    f.writelines(f"{k} {v}\n" for k, v in sorted(owner.items()))
with open(conflicts_out, "w") as f:
    f.writelines(c + "\n" for c in conflicts)
print(n)
PY
pkg_files=$(cat "$OUT/merge.txt")

# --- Enablement, as the packages' postinst scripts do it (or every [Install] unit). -----
: > "$OUT/enable.log"
enable_unit() {
        local out
        if out=$(SYSTEMCTL_SKIP_SYSV=1 systemctl --root="$ROOT" --no-reload enable "$1" 2>&1); then
                printf 'enable %s (%s): ok\n' "$1" "$2" >> "$OUT/enable.log"
        else
                printf 'enable %s (%s): FAILED: %s\n' "$1" "$2" "${out//$'\n'/ }" >> "$OUT/enable.log"
        fi
        [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /' >> "$OUT/enable.log"
}
to_enable=()
enable_pkg=()
for e in "${used[@]}"; do
        p=${e%%:*}
        x=${e#*:}
        units=()
        case "$ENABLE" in
        postinst)
                # dh_installsystemd: `deb-systemd-helper enable 'U'...` enables U on a fresh
                # install, unless it is guarded by `deb-systemd-helper debian-installed 'U'`
                # (--no-enable: only re-enabled on upgrades).
                mapfile -t units < <(awk '
                        /deb-systemd-helper[ \t]+debian-installed/ {
                                for (i = 1; i <= NF; i++) if ($i ~ /^\047.*\047$/) { u = $i; gsub(/\047/, "", u); noen[u] = 1 }
                        }
                        /deb-systemd-helper[ \t]+enable[ \t]/ {
                                for (i = 1; i <= NF; i++) if ($i ~ /^\047.*\047$/) { u = $i; gsub(/\047/, "", u); if (!(u in seen)) { seen[u] = 1; order[n++] = u } }
                        }
                        END { for (i = 0; i < n; i++) if (!(order[i] in noen)) print order[i] }' "$x/postinst")
                ;;
        all)
                mapfile -t units < <(cd "$x/root" && for f in lib/systemd/system/* usr/lib/systemd/system/*; do
                        [ -f "$f" ] && [ ! -L "$f" ] || continue
                        n=${f##*/}
                        nsb_valid_unit_name "$n" || continue
                        nsb_is_template "$n" && continue
                        grep -qE '^[[:space:]]*(WantedBy|RequiredBy|Alias|Also)[[:space:]]*=' "$f" && echo "$n"
                done | sort -u)
                ;;
        esac
        for u in "${units[@]}"; do
                to_enable+=("$u")
                enable_pkg+=("$p")
        done
done
# One call for all (fast); if it fails, one call per unit to say which.
enabled=${#to_enable[@]}
if [ "$enabled" -gt 0 ]; then
        if out=$(SYSTEMCTL_SKIP_SYSV=1 systemctl --root="$ROOT" --no-reload enable "${to_enable[@]}" 2>&1); then
                for ((i = 0; i < enabled; i++)); do
                        printf 'enable %s (%s): ok\n' "${to_enable[i]}" "${enable_pkg[i]}"
                done >> "$OUT/enable.log"
                [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /' >> "$OUT/enable.log"
        else
                for ((i = 0; i < enabled; i++)); do
                        enable_unit "${to_enable[i]}" "${enable_pkg[i]}"
                done
        fi
fi
# The display managers' postinst links display-manager.service to the default one
# (unless an enabled unit has Alias=display-manager.service already): the first one.
if [ "$ENABLE" != none ] && [ ! -e "$ROOT/etc/systemd/system/display-manager.service" ] &&
        [ ! -L "$ROOT/etc/systemd/system/display-manager.service" ]; then
        for dm in gdm3 lightdm sddm; do
                [ -f "$ROOT/$SYSDIR/$dm.service" ] || continue
                ln -s "/lib/systemd/system/$dm.service" "$ROOT/etc/systemd/system/display-manager.service"
                echo "display-manager.service -> $dm.service (as the display manager's postinst)" >> "$OUT/enable.log"
                break
        done
fi
enable_failed=$(grep -c ': FAILED:' "$OUT/enable.log" || true)

# --- Unit names of the tree; the namespace. ---------------------------------------------
all=()
skipped=0
while IFS= read -r n; do
        nsb_valid_unit_name "$n" || continue
        nsb_is_template "$n" && continue
        all+=("$n")
done < <(for d in "$ROOT/$SYSDIR" "$ROOT/etc/systemd/system"; do
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
        echo '# Inside the namespace, before systemd starts: the scratch tree into the (tmpfs) unit'
        echo '# directories, then the hold target, After= every unit.'
        echo 'set -eu'
        echo '[ "$NS_TREE" = controlled ] || { echo "the unit directories are not controlled" >&2; exit 1; }'
        echo 'cp -a "$NS_OUT/root/usr/lib/systemd/system/." /usr/lib/systemd/system/'
        echo 'cp -a "$NS_OUT/root/etc/systemd/system/." /etc/systemd/system/'
        nsb_hold_target_lines
} > "$OUT/setup.sh"

nsb_boot_and_capture controlled 900
crc=0
nsb_compare_capture || crc=$?
# Each differing unit with the package that ships its file.
awk 'NR == FNR { own[$1] = $2; next }
     /^--- / { n = $2; o = own["usr/lib/systemd/system/" n]; e = own["etc/systemd/system/" n]
               if (e != "") o = (o != "" ? o "+" : "") e "(etc)"
               print $0 "   [" (o != "" ? o : "?") "]"; next }
     { print }' "$OUT/owners.txt" "$OUT/diff.txt"

echo "packages: ${#used[@]} (${pkg_files} files; unavailable: ${#unavailable[@]}), enable ($ENABLE): $enabled" \
        "units, $enable_failed failed (see $OUT/enable.log), conflicting files: $(wc -l < "$OUT/conflicts.txt")"
echo "unit names in the tree: ${#all[@]} (left out, types '$SKIP_TYPES': $skipped)," \
        "loaded in systemd: $(cat "$OUT/loaded-units.txt")"
echo "$(cat "$OUT/run-times.txt"); $(grep boot_s "$OUT/ns-boot.log"); test took $(nsb_elapsed)s"
echo "raw outputs: $OUT/{systemd,analyzer}.txt; tree: $OUT/root"
case $crc in
0) exit 0 ;;
1) exit 1 ;;
*) exit 99 ;;
esac
