# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# systemctl-normalize.sh: what the differential tests (systemd 252 vs sysmaster) use to compare
# systemctl output. Source it.
#   sort_dependency_lists   filter: sorts the words of dependency-list lines (Wants=, After=, …)
#   drop_mount_units        filter: removes mount/swap/device unit names from those lines
# systemd keeps dependencies and jobs in hash tables with a random key per boot: the order of
# dependency lists (show) and of list-jobs lines changes from boot to boot, so both are sorted.
sort_dependency_lists() {
        awk '
        /^(Wants|Requires|Requisite|BindsTo|PartOf|Before|After|WantedBy|RequiredBy|Conflicts|ConflictedBy|Triggers|TriggeredBy|SliceOf)=/ {
                i = index($0, "="); n = split(substr($0, i + 1), w, " ")
                for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (w[b] < w[a]) { t = w[a]; w[a] = w[b]; w[b] = t }
                s = substr($0, 1, i); for (a = 1; a <= n; a++) s = s (a > 1 ? " " : "") w[a]
                print s; next
        }
        { print }'
}

# sysmaster has no mount units yet; systemd makes them for the sandbox's file systems and adds
# them to dependency lists (RequiresMountsFor=, slices): they are left out of the comparison.
drop_mount_units() {
        awk '
        /^(Wants|Requires|Requisite|BindsTo|PartOf|Before|After|WantedBy|RequiredBy|Conflicts|ConflictedBy|Triggers|TriggeredBy|SliceOf)=/ {
                i = index($0, "="); n = split(substr($0, i + 1), w, " ")
                s = substr($0, 1, i); k = 0
                for (a = 1; a <= n; a++) if (w[a] !~ /\.(mount|swap|device)"?$/) s = s (k++ ? " " : "") w[a]
                print s; next
        }
        { print }'
}
