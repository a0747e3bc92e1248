/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* executor-seccomp.c: building and loading the seccomp filters of the execution context with
 * libseccomp (see executor-seccomp.h). Filters of system calls by name cover the native
 * architecture and the secondary ones this kernel runs (x86 and x32 on x86-64, arm on arm64)
 * in one program, so that a call made through the other ABI is filtered too. Filters that
 * compare arguments (MemoryDenyWriteExecute=, RestrictRealtime=, RestrictSUIDSGID=,
 * LockPersonality=) are built once per architecture with exact rules, as systemd 252 does:
 * where a call takes other arguments on an ABI (x86's old mmap() takes a pointer) the rule is
 * written for that ABI or left out there. */

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "exec-caps.h"
#include "exec-syscall-filter.h"
#include "executor-seccomp.h"
#include "log.h"
#include "macro.h"
#include "strv.h"

static const uint32_t secondary_archs[] = {
#if defined(__x86_64__)
        SCMP_ARCH_X86, SCMP_ARCH_X32,
#elif defined(__aarch64__)
        SCMP_ARCH_ARM,
#endif
};

static bool seccomp_filters_available(void) {
        /* a filter without a program: EFAULT where SECCOMP_MODE_FILTER exists, EINVAL otherwise */
        return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) < 0 && errno == EFAULT;
}

bool executor_seccomp_needs_nnp(const ExecContext *c) {
        return !c->no_new_privileges && exec_context_has_seccomp(c) && !exec_cap_is_effective(CAP_SYS_ADMIN);
}

static scmp_filter_ctx filter_new(uint32_t default_action, bool all_archs) {
        scmp_filter_ctx f = seccomp_init(default_action);

        if (!f)
                return NULL;
        for (size_t i = 0; all_archs && i < ELEMENTSOF(secondary_archs); i++)
                (void) seccomp_arch_add(f, secondary_archs[i]); /* -EEXIST, or a kernel without it */
        /* no_new_privs is ours to set (executor_seccomp_needs_nnp()), not libseccomp's */
        if (seccomp_attr_set(f, SCMP_FLTATR_CTL_NNP, 0) < 0) {
                seccomp_release(f);
                return NULL;
        }
        return f;
}

typedef struct FilterRule {
        scmp_filter_ctx f;
        uint32_t action;
} FilterRule;

/* A rule for the call name, comparing n arguments (cmp). exact: f has one architecture and the
 * rule must hold there as written; otherwise libseccomp writes it for each architecture of f
 * that has the call. A name this libseccomp or the architectures lack is left out. Returns
 * true when the rule was added. */
static bool rule_add(scmp_filter_ctx f, uint32_t action, const char *name, bool exact, unsigned n,
                     const struct scmp_arg_cmp *cmp) {
        int nr = seccomp_syscall_resolve_name(name);

        if (nr == __NR_SCMP_ERROR)
                return false;
        return (exact ? seccomp_rule_add_exact_array(f, action, nr, n, cmp)
                      : seccomp_rule_add_array(f, action, nr, n, cmp)) >= 0;
}

/* A call by name, for exec_syscall_group_foreach(). */
static int filter_add_call(const char *name, void *userdata) {
        FilterRule *rule = userdata;

        (void) rule_add(rule->f, rule->action, name, false, 0, NULL);
        return 0;
}

static int filter_load(scmp_filter_ctx f) {
        int r = seccomp_load(f);

        seccomp_release(f);
        return r;
}

/* The listed architectures besides the native one, which the process itself needs */
static int load_archs(const ExecContext *c) {
        scmp_filter_ctx f;

        if (strv_isempty(c->syscall_archs))
                return 0;
        f = filter_new(SCMP_ACT_ALLOW, false);
        if (!f)
                return -ENOMEM;
        STRV_FOREACH(a, c->syscall_archs) {
                uint32_t arch = exec_syscall_arch_from_string(*a);

                if (arch != SCMP_ARCH_NATIVE && arch != UINT32_MAX)
                        (void) seccomp_arch_add(f, arch); /* -EEXIST for the native one by name */
        }
        return filter_load(f);
}

/* ---- filters comparing arguments, one program per architecture ---- */

/* An exact rule failing the call with error where the arguments compare as given; true if added. */
#define RULE(f, error, name, ...)                                                                     \
        rule_add(f, SCMP_ACT_ERRNO(error), name, true,                                               \
                 ELEMENTSOF(((const struct scmp_arg_cmp[]) { __VA_ARGS__ })),                         \
                 (const struct scmp_arg_cmp[]) { __VA_ARGS__ })

/* MemoryDenyWriteExecute=: no mapping both writable and executable, no page made executable
 * later, no SysV shared memory attached executable (where shmat() is a call of its own). */
static bool build_memory_deny_write_execute(scmp_filter_ctx f, uint32_t arch, const ExecContext *c) {
        const char *map_call = "mmap", *blocked = NULL, *shmat_call = "shmat";

        (void) c;
        switch (arch) {
        case SCMP_ARCH_X86:
        case SCMP_ARCH_S390:
                map_call = "mmap2", blocked = "mmap", shmat_call = NULL; /* old mmap(): a pointer to its arguments */
                break;
        case SCMP_ARCH_ARM:
                map_call = "mmap2";
                break;
        case SCMP_ARCH_PPC:
        case SCMP_ARCH_PPC64:
        case SCMP_ARCH_PPC64LE:
        case SCMP_ARCH_S390X:
                shmat_call = NULL; /* through ipc() */
                break;
        }
        /* all or nothing for an architecture, as systemd */
        return RULE(f, EPERM, map_call, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC | PROT_WRITE, PROT_EXEC | PROT_WRITE)) &&
               (!blocked || rule_add(f, SCMP_ACT_ERRNO(EPERM), blocked, true, 0, NULL)) &&
               RULE(f, EPERM, "mprotect", SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)) &&
               RULE(f, EPERM, "pkey_mprotect", SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)) &&
               (!shmat_call || RULE(f, EPERM, shmat_call, SCMP_A2(SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC)));
}

/* RestrictRealtime=: sched_setscheduler() only to SCHED_OTHER, SCHED_BATCH and SCHED_IDLE
 * (any flag such as SCHED_RESET_ON_FORK makes the number larger: refused too). */
static bool build_restrict_realtime(scmp_filter_ctx f, uint32_t arch, const ExecContext *c) {
        static const int refused[] = { SCHED_FIFO, SCHED_RR, 4 /* SCHED_ISO, never implemented */ };

        (void) arch, (void) c;
        for (size_t i = 0; i < ELEMENTSOF(refused); i++)
                (void) RULE(f, EPERM, "sched_setscheduler", SCMP_A1(SCMP_CMP_EQ, (uint64_t) refused[i]));
        return RULE(f, EPERM, "sched_setscheduler", SCMP_A1(SCMP_CMP_GT, SCHED_IDLE));
}

/* RestrictSUIDSGID=: no file or directory created or changed to set-user-ID or set-group-ID;
 * the calls whose flags libseccomp cannot see (openat2(), fchmodat2()) fail with ENOSYS, which
 * makes callers fall back to the filtered ones. */
static bool build_restrict_suid_sgid(scmp_filter_ctx f, uint32_t arch, const ExecContext *c) {
        static const mode_t modes[] = { S_ISUID, S_ISGID };
        bool any = false; /* systemd loads the program if any rule could be written */

        (void) arch, (void) c;
        for (size_t i = 0; i < ELEMENTSOF(modes); i++) {
                const uint64_t m = modes[i];
                /* the calls taking the mode as their second or third argument */
                static const char *const a1[] = { "chmod", "fchmod", "mkdir", "mknod", "creat" };
                static const char *const a2[] = { "fchmodat", "mkdirat", "mknodat" };

                for (size_t j = 0; j < ELEMENTSOF(a1); j++)
                        any |= RULE(f, EPERM, a1[j], SCMP_A1(SCMP_CMP_MASKED_EQ, m, m));
                for (size_t j = 0; j < ELEMENTSOF(a2); j++)
                        any |= RULE(f, EPERM, a2[j], SCMP_A2(SCMP_CMP_MASKED_EQ, m, m));
                any |= RULE(f, EPERM, "open", SCMP_A1(SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT),
                            SCMP_A2(SCMP_CMP_MASKED_EQ, m, m));
                any |= RULE(f, EPERM, "openat", SCMP_A2(SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT),
                            SCMP_A3(SCMP_CMP_MASKED_EQ, m, m));
        }
        (void) rule_add(f, SCMP_ACT_ERRNO(ENOSYS), "fchmodat2", true, 0, NULL);
        (void) rule_add(f, SCMP_ACT_ERRNO(ENOSYS), "openat2", true, 0, NULL);
        return any;
}

/* LockPersonality=: personality() only to the execution domain the service runs in:
 * Personality=, or else PER_LINUX32 if the manager runs as such, PER_LINUX otherwise. */
static bool build_lock_personality(scmp_filter_ctx f, uint32_t arch, const ExecContext *c) {
        unsigned long p = c->personality;

        (void) arch;
        if (p == EXEC_PERSONALITY_INVALID) {
                int current = personality(0xffffffff);

                p = current >= 0 && (current & 0xff) == PER_LINUX32 ? PER_LINUX32 : PER_LINUX;
        }
        return RULE(f, EPERM, "personality", SCMP_A0(SCMP_CMP_NE, (uint64_t) p));
}

typedef bool (*ArchFilterBuilder)(scmp_filter_ctx f, uint32_t arch, const ExecContext *c);

/* Builds and loads one program per architecture this kernel runs; an architecture where the
 * builder could not write its rules gets none (systemd's "skipping"). */
static int load_per_arch(const ExecContext *c, ArchFilterBuilder build) {
        uint32_t native = seccomp_arch_native();
        uint32_t archs[1 + ELEMENTSOF(secondary_archs)];
        size_t n = 0;

        archs[n++] = native;
        for (size_t i = 0; i < ELEMENTSOF(secondary_archs); i++)
                archs[n++] = secondary_archs[i];
        for (size_t i = 0; i < n; i++) {
                scmp_filter_ctx f = filter_new(SCMP_ACT_ALLOW, false);
                int r;

                if (!f)
                        return -ENOMEM;
                /* a call through another ABI is the business of that ABI's program */
                if (seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW) < 0 ||
                    (archs[i] != native &&
                     (seccomp_arch_add(f, archs[i]) < 0 || seccomp_arch_remove(f, native) < 0))) {
                        seccomp_release(f);
                        continue;
                }
                if (!build(f, archs[i], c)) {
                        seccomp_release(f);
                        continue;
                }
                r = filter_load(f);
                if (IN_SET(r, -EPERM, -EACCES))
                        return r;
        }
        return 0;
}

static int load_implied(const ExecContext *c) {
        FilterRule rule;
        scmp_filter_ctx f;

        if (!c->private_devices && !c->protect_kernel_tunables && !c->protect_kernel_modules &&
            !c->protect_kernel_logs && !c->protect_hostname)
                return 0;
        f = filter_new(SCMP_ACT_ALLOW, true);
        if (!f)
                return -ENOMEM;
        rule = (FilterRule) { .f = f, .action = SCMP_ACT_ERRNO(EPERM) };
        if (c->private_devices)
                (void) exec_syscall_group_foreach("@raw-io", filter_add_call, &rule);
        if (c->protect_kernel_tunables)
                (void) filter_add_call("_sysctl", &rule);
        if (c->protect_kernel_modules)
                (void) exec_syscall_group_foreach("@module", filter_add_call, &rule);
        if (c->protect_kernel_logs)
                (void) filter_add_call("syslog", &rule);
        if (c->protect_hostname) {
                (void) filter_add_call("sethostname", &rule);
                (void) filter_add_call("setdomainname", &rule);
        }
        return filter_load(f);
}

static int load_syscall_filter(const ExecContext *c) {
        uint32_t deny = c->syscall_errno == EXEC_SYSCALL_ERRNO_KILL ? SCMP_ACT_KILL_PROCESS
                                                                    : SCMP_ACT_ERRNO(c->syscall_errno);
        scmp_filter_ctx f;

        if (strv_isempty(c->syscall_filter))
                return 0;
        f = filter_new(c->syscall_allow_list ? deny : SCMP_ACT_ALLOW, true);
        if (!f)
                return -ENOMEM;
        STRV_FOREACH(s, c->syscall_filter) {
                size_t n;
                int error = exec_syscall_entry_split(*s, &n);
                FilterRule rule = {
                        .f = f,
                        .action = c->syscall_allow_list ? SCMP_ACT_ALLOW : error > 0 ? SCMP_ACT_ERRNO(error) : deny,
                };
                char name[64];

                if (n < sizeof name) {
                        memcpy(name, *s, n);
                        name[n] = 0;
                        (void) filter_add_call(name, &rule);
                }
        }
        return filter_load(f);
}

int executor_apply_seccomp(const ExecContext *c) {
        int r;

        if (!exec_context_has_seccomp(c))
                return 0;
        if (!seccomp_filters_available()) {
                log_debug("SECCOMP features not detected in the kernel, skipping system call filters");
                return 0;
        }
        if ((r = load_archs(c)) < 0 ||
            (c->memory_deny_write_execute && (r = load_per_arch(c, build_memory_deny_write_execute)) < 0) ||
            (c->restrict_realtime && (r = load_per_arch(c, build_restrict_realtime)) < 0) ||
            (c->restrict_suid_sgid && (r = load_per_arch(c, build_restrict_suid_sgid)) < 0) ||
            (r = load_implied(c)) < 0 ||
            (c->lock_personality && (r = load_per_arch(c, build_lock_personality)) < 0) ||
            (r = load_syscall_filter(c)) < 0)
                return r;
        return 0;
}
