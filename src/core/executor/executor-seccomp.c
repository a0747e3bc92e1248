/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* executor-seccomp.c: building and loading the seccomp filters of the execution context with
 * libseccomp (see executor-seccomp.h). Each filter covers the native architecture and the
 * secondary ones this kernel runs (x86 and x32 on x86-64, arm on arm64), so that a call made
 * through the other ABI is filtered too. */

#include <errno.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>

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

/* A call by name; names this libseccomp or an architecture lacks are skipped. */
static int filter_add_call(const char *name, void *userdata) {
        FilterRule *rule = userdata;
        int nr = seccomp_syscall_resolve_name(name);

        if (nr != __NR_SCMP_ERROR)
                (void) seccomp_rule_add(rule->f, rule->action, nr, 0); /* -EDOM: not a call of one arch */
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
        if ((r = load_archs(c)) < 0 || (r = load_implied(c)) < 0 || (r = load_syscall_filter(c)) < 0)
                return r;
        return 0;
}
