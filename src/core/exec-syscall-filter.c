/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-syscall-filter.c: system call names, groups, filter entries and architecture names of the
 * seccomp settings (see exec-syscall-filter.h). */

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "exec-syscall-filter.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

static const struct {
        const char *name, *members;
} groups[] = {
#include "syscall-groups-table.h"
};

static int group_foreach(const char *group, int (*fn)(const char *name, void *userdata), void *userdata,
                         unsigned depth) {
        const char *members = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(groups) && !members; i++)
                if (streq(groups[i].name, group))
                        members = groups[i].members;
        if (!members || depth > 8)
                return -ENOENT;
        for (const char *m = members; *m; m += strlen(m) + 1) {
                r = m[0] == '@' ? group_foreach(m, fn, userdata, depth + 1) : fn(m, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

int exec_syscall_group_foreach(const char *group, int (*fn)(const char *name, void *userdata), void *userdata) {
        return group_foreach(group, fn, userdata, 0);
}

int exec_syscall_entry_split(const char *entry, size_t *ret_name_len) {
        const char *colon = strchr(entry, ':');
        int error;

        *ret_name_len = colon ? (size_t) (colon - entry) : strlen(entry);
        return colon && safe_atoi(colon + 1, &error) >= 0 ? error : 0;
}

/* The entry of name in the filter list, or NULL. */
static char **filter_find(char **l, const char *name) {
        size_t n;

        STRV_FOREACH(s, l) {
                (void) exec_syscall_entry_split(*s, &n);
                if (n == strlen(name) && strncmp(*s, name, n) == 0)
                        return s;
        }
        return NULL;
}

typedef struct FilterUpdate {
        ExecContext *c;
        int error;
        bool add;
} FilterUpdate;

static int filter_update_call(const char *name, void *userdata) {
        FilterUpdate *u = userdata;
        char **s, *entry;

        if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
                return 0;
        s = filter_find(u->c->syscall_filter, name);
        if (!u->add) {
                if (s) {
                        free(*s);
                        memmove(s, s + 1, (strv_length(s + 1) + 1) * sizeof(char *));
                }
                return 0;
        }
        if (s)
                return 0;
        if (u->error > 0 ? asprintf(&entry, "%s:%i", name, u->error) < 0 : !(entry = strdup(name)))
                return -ENOMEM;
        return strv_consume(&u->c->syscall_filter, entry);
}

int exec_syscall_filter_update(ExecContext *c, const char *name, int error, bool add) {
        FilterUpdate u = { .c = c, .error = error, .add = add };

        if (name[0] == '@')
                return exec_syscall_group_foreach(name, filter_update_call, &u);
        if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
                return -EINVAL;
        return filter_update_call(name, &u);
}

static const struct {
        const char *name;
        uint32_t arch;
} archs[] = {
        { "native", SCMP_ARCH_NATIVE },     { "x86", SCMP_ARCH_X86 },
        { "x86-64", SCMP_ARCH_X86_64 },     { "x32", SCMP_ARCH_X32 },
        { "arm", SCMP_ARCH_ARM },           { "arm64", SCMP_ARCH_AARCH64 },
        { "mips", SCMP_ARCH_MIPS },         { "mips64", SCMP_ARCH_MIPS64 },
        { "mips64-n32", SCMP_ARCH_MIPS64N32 }, { "mips-le", SCMP_ARCH_MIPSEL },
        { "mips64-le", SCMP_ARCH_MIPSEL64 }, { "mips64-le-n32", SCMP_ARCH_MIPSEL64N32 },
        { "ppc", SCMP_ARCH_PPC },           { "ppc64", SCMP_ARCH_PPC64 },
        { "ppc64-le", SCMP_ARCH_PPC64LE },  { "s390", SCMP_ARCH_S390 },
        { "s390x", SCMP_ARCH_S390X },       { "parisc", SCMP_ARCH_PARISC },
        { "parisc64", SCMP_ARCH_PARISC64 }, { "riscv64", SCMP_ARCH_RISCV64 },
};

uint32_t exec_syscall_arch_from_string(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(archs); i++)
                if (streq(archs[i].name, name))
                        return archs[i].arch;
        return UINT32_MAX;
}
