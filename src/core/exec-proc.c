/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-proc.c: scheduling, I/O priority, CPU sets, personalities, keyring modes (see exec-proc.h). */

#include <limits.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/utsname.h>

#include "escape.h"
#include "exec-proc.h"
#include "parse-util.h"
#include "string-util.h"

static const char *const sched_policy_names[] = {
        [SCHED_OTHER] = "other", [SCHED_FIFO] = "fifo", [SCHED_RR] = "rr",
        [SCHED_BATCH] = "batch", [SCHED_IDLE] = "idle",
};

const char *exec_sched_policy_to_string(int policy) {
        if (policy < 0 || (size_t) policy >= ELEMENTSOF(sched_policy_names))
                return NULL;
        return sched_policy_names[policy];
}

/* A name from table, or a number 0…max (systemd's lookup "with fallback"). */
static int lookup_with_number(const char *const *table, size_t n, const char *s, int max) {
        unsigned u;

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < n; i++)
                if (table[i] && streq(table[i], s))
                        return (int) i;
        if (safe_atou(s, &u) < 0 || u > (unsigned) max)
                return -EINVAL;
        return (int) u;
}

int exec_sched_policy_from_string(const char *s) {
        return lookup_with_number(sched_policy_names, ELEMENTSOF(sched_policy_names), s, INT_MAX);
}

int exec_ioprio_class_from_string(const char *s) {
        static const char *const names[] = { "none", "realtime", "best-effort", "idle" };
        return lookup_with_number(names, ELEMENTSOF(names), s, (int) ELEMENTSOF(names) - 1);
}

int exec_ioprio_normalize(int v) {
        return EXEC_IOPRIO_CLASS(v) == EXEC_IOPRIO_CLASS_NONE ? EXEC_IOPRIO_DEFAULT : v;
}

void exec_cpu_set_done(ExecCpuSet *c) {
        c->set = mfree(c->set);
        c->size = 0;
}

static int cpu_set_grow(ExecCpuSet *c, size_t bytes) {
        uint8_t *n;

        if (bytes <= c->size && c->set)
                return 0;
        bytes = MAX(bytes, c->size);
        n = realloc(c->set, MAX(bytes, 1U));
        if (!n)
                return -ENOMEM;
        memset(n + c->size, 0, MAX(bytes, 1U) - c->size);
        c->set = n;
        c->size = MAX(bytes, 1U);
        return 0;
}

/* Parses value into a new set; *ret is NULL-set when the value has no words. */
static int cpu_set_parse(const char *value, ExecCpuSet *ret, bool *bad_range) {
        _cleanup_(exec_cpu_set_done) ExecCpuSet c = {};

        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL;
                unsigned lo, hi;
                int r = extract_first_word(&p, &word, " \t\n\r,", EXTRACT_UNQUOTE);

                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                r = parse_range(word, &lo, &hi);
                if (r < 0)
                        return r;
                if (lo > hi) {
                        *bad_range = true;
                        r = cpu_set_grow(&c, 1);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (hi >= EXEC_CPU_SET_MAX_CPUS)
                        return -ERANGE;
                r = cpu_set_grow(&c, hi / 8 + 1);
                if (r < 0)
                        return r;
                for (unsigned i = lo; i <= hi; i++)
                        c.set[i / 8] |= (uint8_t) (1U << (i % 8));
        }
        *ret = c;
        c = (ExecCpuSet) {};
        return 0;
}

int exec_cpu_set_add_value(ExecCpuSet *c, const char *value, bool *ret_bad_range) {
        _cleanup_(exec_cpu_set_done) ExecCpuSet n = {};
        bool bad = false;
        int r = cpu_set_parse(value, &n, &bad);

        if (r < 0)
                return r;
        if (ret_bad_range)
                *ret_bad_range = bad;
        if (!n.set) {
                exec_cpu_set_done(c);
                return 0;
        }
        r = cpu_set_grow(c, n.size);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n.size; i++)
                c->set[i] |= n.set[i];
        return 0;
}

int exec_personality_from_string(const char *s) {
        static const struct { const char *machine, *native, *secondary; } table[] = {
                { "x86_64", "x86-64", "x86" },   { "aarch64", "arm64", "arm" },
                { "ppc64le", "ppc64-le", NULL }, { "s390x", "s390x", "s390" },
                { "riscv64", "riscv64", NULL },  { "i686", "x86", NULL },
        };
        struct utsname u;

        if (!s || uname(&u) < 0)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                if (!streq(u.machine, table[i].machine))
                        continue;
                if (streq(s, table[i].native))
                        return PER_LINUX;
                if (table[i].secondary && streq(s, table[i].secondary))
                        return PER_LINUX32;
        }
        return -EINVAL;
}

static const char *const keyring_mode_names[_EXEC_KEYRING_MODE_MAX] = {
        [EXEC_KEYRING_INHERIT] = "inherit",
        [EXEC_KEYRING_PRIVATE] = "private",
        [EXEC_KEYRING_SHARED] = "shared",
};

const char *exec_keyring_mode_to_string(ExecKeyringMode m) {
        return m >= 0 && m < _EXEC_KEYRING_MODE_MAX ? keyring_mode_names[m] : NULL;
}

ExecKeyringMode exec_keyring_mode_from_string(const char *s) {
        for (int i = 0; i < _EXEC_KEYRING_MODE_MAX; i++)
                if (s && streq(s, keyring_mode_names[i]))
                        return (ExecKeyringMode) i;
        return _EXEC_KEYRING_MODE_INVALID;
}
