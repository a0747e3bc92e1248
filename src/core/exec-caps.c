/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-caps.c: capability names, sets, secure bits and their application (see exec-caps.h). */

#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"
#include "exec-caps.h"
#include "parse-util.h"
#include "string-util.h"

static const char *const cap_names[] = {
        "cap_chown",           "cap_dac_override",    "cap_dac_read_search", "cap_fowner",
        "cap_fsetid",          "cap_kill",            "cap_setgid",          "cap_setuid",
        "cap_setpcap",         "cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
        "cap_net_admin",       "cap_net_raw",         "cap_ipc_lock",        "cap_ipc_owner",
        "cap_sys_module",      "cap_sys_rawio",       "cap_sys_chroot",      "cap_sys_ptrace",
        "cap_sys_pacct",       "cap_sys_admin",       "cap_sys_boot",        "cap_sys_nice",
        "cap_sys_resource",    "cap_sys_time",        "cap_sys_tty_config",  "cap_mknod",
        "cap_lease",           "cap_audit_write",     "cap_audit_control",   "cap_setfcap",
        "cap_mac_override",    "cap_mac_admin",       "cap_syslog",          "cap_wake_alarm",
        "cap_block_suspend",   "cap_audit_read",      "cap_perfmon",         "cap_bpf",
        "cap_checkpoint_restore",
};

const char *exec_cap_to_name(int cap) {
        return cap >= 0 && (size_t) cap < ELEMENTSOF(cap_names) ? cap_names[cap] : NULL;
}

int exec_cap_from_name(const char *name) {
        int i;

        if (safe_atoi(name, &i) >= 0)
                return i >= 0 && i < 64 ? i : -EINVAL;
        for (size_t k = 0; k < ELEMENTSOF(cap_names); k++)
                if (strcasecmp(name, cap_names[k]) == 0)
                        return (int) k;
        return -EINVAL;
}

unsigned exec_cap_last_cap(void) {
        static unsigned saved;
        unsigned long v;
        FILE *f;

        if (saved > 0)
                return saved;
        f = fopen("/proc/sys/kernel/cap_last_cap", "re");
        if (f && fscanf(f, "%lu", &v) == 1)
                saved = (unsigned) MIN(v, 63UL);
        else
                saved = CAP_LAST_CAP;
        if (f)
                fclose(f);
        return saved;
}

int exec_cap_set_from_string(const char *s, uint64_t *ret) {
        uint64_t v = 0;

        for (const char *p = s;;) {
                _cleanup_free_ char *word = NULL;
                int r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE);

                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                r = exec_cap_from_name(word);
                if (r >= 0)
                        v |= UINT64_C(1) << r;
        }
        *ret = v;
        return 0;
}

int exec_cap_set_apply_value(uint64_t *set, uint64_t initial, const char *value) {
        bool invert = value[0] == '~';
        uint64_t sum;
        int r = exec_cap_set_from_string(value + invert, &sum);

        if (r < 0)
                return r;
        if (sum == 0 || *set == initial)
                *set = invert ? ~sum : sum;
        else if (invert)
                *set &= ~sum;
        else
                *set |= sum;
        return 0;
}

int exec_secure_bits_from_string(const char *s) {
        static const struct { const char *name; int bit; } table[] = {
                { "keep-caps", SECURE_KEEP_CAPS },
                { "keep-caps-locked", SECURE_KEEP_CAPS_LOCKED },
                { "no-setuid-fixup", SECURE_NO_SETUID_FIXUP },
                { "no-setuid-fixup-locked", SECURE_NO_SETUID_FIXUP_LOCKED },
                { "noroot", SECURE_NOROOT },
                { "noroot-locked", SECURE_NOROOT_LOCKED },
        };
        int bits = 0;

        for (const char *p = s;;) {
                _cleanup_free_ char *word = NULL;
                int r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE);

                if (r < 0)
                        return r;
                if (r == 0)
                        return bits;
                for (size_t i = 0; i < ELEMENTSOF(table); i++)
                        if (streq(word, table[i].name))
                                bits |= 1 << table[i].bit;
        }
}

/* --- raw capability sets ------------------------------------------------------------------ */

typedef struct CapState {
        struct __user_cap_header_struct header;
        struct __user_cap_data_struct data[2];
} CapState;

static int cap_state_get(CapState *s) {
        *s = (CapState) { .header.version = _LINUX_CAPABILITY_VERSION_3 };
        return syscall(SYS_capget, &s->header, s->data) < 0 ? -errno : 0;
}

static int cap_state_set(CapState *s) {
        s->header.pid = 0;
        return syscall(SYS_capset, &s->header, s->data) < 0 ? -errno : 0;
}

static uint64_t cap_state_inheritable(const CapState *s) {
        return (uint64_t) s->data[0].inheritable | (uint64_t) s->data[1].inheritable << 32;
}

static void cap_state_set_inheritable(CapState *s, uint64_t v) {
        s->data[0].inheritable = (uint32_t) v;
        s->data[1].inheritable = (uint32_t) (v >> 32);
}

bool exec_cap_is_effective(int cap) {
        CapState s;

        return cap_state_get(&s) >= 0 && (s.data[cap / 32].effective & (1U << (cap % 32)));
}

int exec_cap_gain_setpcap(void) {
        CapState s;
        int r = cap_state_get(&s);

        if (r < 0)
                return r;
        if (s.data[0].effective & (1U << CAP_SETPCAP))
                return 0;
        if (!(s.data[0].permitted & (1U << CAP_SETPCAP)))
                return 0; /* we will fail later, where it matters */
        s.data[0].effective |= 1U << CAP_SETPCAP;
        return cap_state_set(&s);
}

int exec_cap_bounding_set_drop(uint64_t keep) {
        uint64_t inheritable;
        CapState s;
        int r;

        (void) exec_cap_gain_setpcap();
        r = cap_state_get(&s);
        if (r < 0)
                return r;
        inheritable = cap_state_inheritable(&s);
        for (unsigned i = 0; i <= exec_cap_last_cap(); i++) {
                if (keep & (UINT64_C(1) << i))
                        continue;
                /* A capability we do not have in the bounding set cannot be dropped: fine. */
                if (prctl(PR_CAPBSET_DROP, i) < 0 && prctl(PR_CAPBSET_READ, i) != 0)
                        return -errno;
                inheritable &= ~(UINT64_C(1) << i);
        }
        if (inheritable == cap_state_inheritable(&s))
                return 0;
        cap_state_set_inheritable(&s, inheritable);
        return cap_state_set(&s);
}

int exec_cap_ambient_set_apply(uint64_t set, bool also_inheritable) {
        int r;

        for (unsigned i = 0; i <= exec_cap_last_cap(); i++)
                if ((set & (UINT64_C(1) << i)) && prctl(PR_CAPBSET_READ, i) != 1)
                        set &= ~(UINT64_C(1) << i);
        /* Nothing wanted: one call empties the ambient set (EINVAL: no ambient support, fine). */
        if (set == 0)
                return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL ? -errno : 0;
        if (also_inheritable) {
                CapState s;
                r = cap_state_get(&s);
                if (r < 0)
                        return r;
                cap_state_set_inheritable(&s, cap_state_inheritable(&s) | set);
                r = cap_state_set(&s);
                if (r < 0)
                        return r;
        }
        for (unsigned i = 0; i <= exec_cap_last_cap(); i++) {
                if (set & (UINT64_C(1) << i)) {
                        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0)
                                return -errno;
                        continue;
                }
                r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, i, 0, 0);
                if (r < 0)
                        return -errno;
                if (r > 0 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, i, 0, 0) < 0)
                        return -errno;
        }
        return 0;
}
