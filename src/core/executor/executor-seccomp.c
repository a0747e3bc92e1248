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
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-syscall-filter.h"
#include "executor-seccomp.h"
#include "log.h"
#include "macro.h"
#include "parse-util.h"
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

static bool has_effective_cap(int cap) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[2] = {};

        if (syscall(SYS_capget, &h, d) < 0)
                return false;
        return d[cap / 32].effective & (UINT32_C(1) << (cap % 32));
}

bool executor_seccomp_needs_nnp(const ExecContext *c) {
        return !c->no_new_privileges && exec_context_has_seccomp(c) && !has_effective_cap(CAP_SYS_ADMIN);
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

/* A call by name with action; names this libseccomp or an architecture lacks are skipped. */
static void filter_add_call(scmp_filter_ctx f, uint32_t action, const char *name) {
        int nr = seccomp_syscall_resolve_name(name);

        if (nr == __NR_SCMP_ERROR)
                return;
        (void) seccomp_rule_add(f, action, nr, 0); /* e.g. -EDOM: not a call of one of the archs */
}

static void filter_add_group(scmp_filter_ctx f, uint32_t action, const char *group, unsigned depth) {
        const char *m = exec_syscall_group_members(group);

        for (; m && *m && depth < 8; m += strlen(m) + 1) {
                if (m[0] == '@')
                        filter_add_group(f, action, m, depth + 1);
                else
                        filter_add_call(f, action, m);
        }
}

static int filter_load(scmp_filter_ctx f) {
        int r = seccomp_load(f);

        seccomp_release(f);
        return r;
}

static int load_archs(const ExecContext *c) {
        scmp_filter_ctx f;
        bool native = false;

        if (strv_isempty(c->syscall_archs))
                return 0;
        f = filter_new(SCMP_ACT_ALLOW, false);
        if (!f)
                return -ENOMEM;
        STRV_FOREACH(a, c->syscall_archs) {
                uint32_t arch = exec_syscall_arch_from_string(*a);

                if (arch == SCMP_ARCH_NATIVE || arch == seccomp_arch_native())
                        native = true;
                else if (arch != UINT32_MAX)
                        (void) seccomp_arch_add(f, arch);
        }
        /* a process whose own architecture is not listed could not even execve() its command */
        if (!native)
                log_debug("SystemCallArchitectures= does not list the native architecture, keeping it");
        return filter_load(f);
}

static int load_implied(const ExecContext *c) {
        scmp_filter_ctx f;

        if (!c->private_devices && !c->protect_kernel_tunables && !c->protect_kernel_modules &&
            !c->protect_kernel_logs && !c->protect_hostname)
                return 0;
        f = filter_new(SCMP_ACT_ALLOW, true);
        if (!f)
                return -ENOMEM;
        if (c->private_devices)
                filter_add_group(f, SCMP_ACT_ERRNO(EPERM), "@raw-io", 0);
        if (c->protect_kernel_tunables)
                filter_add_call(f, SCMP_ACT_ERRNO(EPERM), "_sysctl");
        if (c->protect_kernel_modules)
                filter_add_group(f, SCMP_ACT_ERRNO(EPERM), "@module", 0);
        if (c->protect_kernel_logs)
                filter_add_call(f, SCMP_ACT_ERRNO(EPERM), "syslog");
        if (c->protect_hostname) {
                filter_add_call(f, SCMP_ACT_ERRNO(EPERM), "sethostname");
                filter_add_call(f, SCMP_ACT_ERRNO(EPERM), "setdomainname");
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
                char name[64], *colon;
                int error;
                uint32_t action = c->syscall_allow_list ? SCMP_ACT_ALLOW : deny;

                if (strlen(*s) >= sizeof name)
                        continue;
                strcpy(name, *s);
                colon = strchr(name, ':');
                if (colon) {
                        *colon = 0;
                        if (safe_atoi(colon + 1, &error) >= 0 && !c->syscall_allow_list)
                                action = SCMP_ACT_ERRNO(error);
                }
                filter_add_call(f, action, name);
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
