/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-syscall-filter.c: reading SystemCallFilter=, SystemCallErrorNumber= and
 * SystemCallArchitectures= into an ExecContext (see exec-syscall-filter.h). The lists are kept
 * sorted, as systemd 252 shows them on the bus: c->syscall_filter holds "name" or "name:ERRNO"
 * (ERRNO a number), c->syscall_archs the architecture names. */

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "exec-syscall-filter.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

static const struct {
        const char *name, *members;
} groups[] = {
#include "syscall-groups-table.h"
};

const char *exec_syscall_group_members(const char *group) {
        for (size_t i = 0; i < ELEMENTSOF(groups); i++)
                if (streq(groups[i].name, group))
                        return groups[i].members;
        return NULL;
}

const char *exec_errno_name(int error, char buf[static 12]) {
        const char *n = strerrorname_np(error);

        if (n)
                return n;
        snprintf(buf, 12, "%i", error);
        return buf;
}

static int errno_from_name_or_number(const char *s) {
        int v;

        if (safe_atoi(s, &v) >= 0)
                return v > 0 && v < 4096 ? v : -ERANGE;
        for (int e = 1; e < 4096; e++) {
                const char *n = strerrorname_np(e);
                if (n && streq(n, s))
                        return e;
        }
        return -EINVAL;
}

int exec_syscall_errno_parse(const char *value, int *ret) {
        int e;

        if (isempty(value) || streq(value, "kill")) {
                *ret = EXEC_SYSCALL_ERRNO_KILL;
                return 0;
        }
        e = errno_from_name_or_number(value);
        if (e < 0)
                return e;
        *ret = e;
        return 0;
}

/* The entry of name in the filter list, or NULL. */
static char **filter_find(char **l, const char *name) {
        size_t n = strlen(name);

        STRV_FOREACH(s, l)
                if (strncmp(*s, name, n) == 0 && IN_SET((*s)[n], 0, ':'))
                        return s;
        return NULL;
}

static int filter_put(ExecContext *c, const char *name, int error) {
        char *entry;

        if (filter_find(c->syscall_filter, name))
                return 0; /* the first errno stays, as in systemd */
        if (error > 0 ? asprintf(&entry, "%s:%i", name, error) < 0 : !(entry = strdup(name)))
                return -ENOMEM;
        return strv_consume(&c->syscall_filter, entry);
}

static void filter_drop(ExecContext *c, const char *name) {
        char **s = filter_find(c->syscall_filter, name);

        if (!s)
                return;
        free(*s);
        memmove(s, s + 1, (strv_length(s + 1) + 1) * sizeof(char *));
}

/* Adds (or, when !add, takes out) a call or "@group"; warn: complain about unknown names
 * (systemd is silent about the members of groups that this libseccomp does not know). */
static int filter_apply(ExecContext *c, const char *word, int error, bool add, bool warn, const char *unit,
                        unsigned depth) {
        const char *members;
        int r;

        if (word[0] == '@') {
                members = exec_syscall_group_members(word);
                if (!members || depth > 8) {
                        if (warn)
                                log_warning("%s: Unknown system call group, ignoring: %s", unit, word);
                        return 0;
                }
                for (const char *m = members; *m; m += strlen(m) + 1) {
                        r = filter_apply(c, m, error, add, false, unit, depth + 1);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        if (seccomp_syscall_resolve_name(word) == __NR_SCMP_ERROR) {
                if (warn)
                        log_warning("%s: Failed to parse system call, ignoring: %s", unit, word);
                return 0;
        }
        if (add)
                return filter_put(c, word, error);
        filter_drop(c, word);
        return 0;
}

/* The next word of value at *p: 1 with *ret, 0 at the end or after a syntax error (warned, the
 * rest ignored), -ENOMEM. */
static int next_word(const char **p, const char *value, const char *unit, char **ret) {
        int r = extract_first_word(p, ret, NULL, 0);

        if (r == -ENOMEM || r >= 0)
                return r;
        log_warning_errno(r, "%s: Invalid syntax, ignoring: %s", unit, value);
        return 0;
}

int exec_syscall_filter_add(ExecContext *c, const char *value, const char *unit) {
        bool invert = false;
        const char *p;
        int r;

        if (isempty(value)) {
                c->syscall_filter = strv_free(c->syscall_filter);
                c->syscall_allow_list = false;
                return 0;
        }
        if (value[0] == '~') {
                invert = true;
                value++;
        }
        if (!c->syscall_filter) {
                c->syscall_allow_list = !invert;
                if (c->syscall_allow_list) {
                        r = filter_apply(c, "@default", 0, true, false, unit, 0);
                        if (r < 0)
                                return r;
                }
        }
        p = value;
        for (;;) {
                _cleanup_free_ char *word = NULL;
                char *colon;
                int error = 0;

                r = next_word(&p, value, unit, &word);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                colon = strrchr(word, ':');
                if (colon) {
                        *colon = 0;
                        error = errno_from_name_or_number(colon + 1);
                        if (error < 0) {
                                log_warning("%s: Failed to parse errno %s, ignoring: %s", unit, colon + 1, word);
                                continue;
                        }
                        if (!invert) {
                                log_warning("%s: Allow-listed system calls cannot take error number, ignoring: %s:%s",
                                            unit, word, colon + 1);
                                continue;
                        }
                }
                /* a word adds when it is of the list's own kind, and takes out otherwise */
                r = filter_apply(c, word, error, invert != c->syscall_allow_list, true, unit, 0);
                if (r < 0)
                        return r;
        }
        strv_sort(c->syscall_filter);
        return 0;
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

int exec_syscall_archs_add(ExecContext *c, const char *value, const char *unit) {
        const char *p = value;
        int r;

        if (isempty(value)) {
                c->syscall_archs = strv_free(c->syscall_archs);
                return 0;
        }
        for (;;) {
                _cleanup_free_ char *word = NULL;
                size_t i;

                r = next_word(&p, value, unit, &word);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                for (i = 0; i < ELEMENTSOF(archs) && !streq(archs[i].name, word); i++)
                        ;
                if (i == ELEMENTSOF(archs)) {
                        log_warning("%s: Failed to parse system call architecture \"%s\", ignoring", unit, word);
                        continue;
                }
                if (strv_extend_uniq(&c->syscall_archs, word) < 0)
                        return -ENOMEM;
        }
        strv_sort(c->syscall_archs);
        return 0;
}

uint32_t exec_syscall_arch_from_string(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(archs); i++)
                if (streq(archs[i].name, name))
                        return archs[i].arch;
        return UINT32_MAX;
}
