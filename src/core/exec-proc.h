/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-proc.h: the process attributes of systemd.exec(5) that are plain values: CPU scheduling
 * policies, I/O scheduling classes and priorities (the kernel's ioprio encoding), CPU sets
 * (CPUAffinity=), execution domains (Personality=) and keyring modes, with systemd 252's names.
 * Nothing here logs.
 */

#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* "other", "batch", "idle", "fifo", "rr", or a number. Returns the policy or -EINVAL. */
int exec_sched_policy_from_string(const char *s) _pure_;
const char *exec_sched_policy_to_string(int policy) _const_;

/* The kernel's ioprio value: class in the top bits, priority data in the low 13 bits. */
#define EXEC_IOPRIO_CLASS_SHIFT 13
#define EXEC_IOPRIO_VALUE(class, data) (((class) << EXEC_IOPRIO_CLASS_SHIFT) | (data))
#define EXEC_IOPRIO_CLASS(v) ((v) >> EXEC_IOPRIO_CLASS_SHIFT)
#define EXEC_IOPRIO_DATA(v) ((v) & ((1 << EXEC_IOPRIO_CLASS_SHIFT) - 1))
enum { EXEC_IOPRIO_CLASS_NONE, EXEC_IOPRIO_CLASS_RT, EXEC_IOPRIO_CLASS_BE, EXEC_IOPRIO_CLASS_IDLE };
/* best-effort/4: what "none" means and the default. */
#define EXEC_IOPRIO_DEFAULT EXEC_IOPRIO_VALUE(EXEC_IOPRIO_CLASS_BE, 4)
/* "none", "realtime", "best-effort", "idle" or 0…3. Returns the class or -EINVAL. */
int exec_ioprio_class_from_string(const char *s) _pure_;
/* Class NONE stands for the default (best-effort, 4). */
int exec_ioprio_normalize(int v) _const_;

/* A CPU set: bit N of bytes set[N / 8] is CPU N. An allocated set with no bits set is kept
 * (systemd's "Range '…' is invalid" leaves one). */
typedef struct ExecCpuSet {
        uint8_t *set;
        size_t size; /* bytes */
} ExecCpuSet;
#define EXEC_CPU_SET_MAX_CPUS 8192U

void exec_cpu_set_done(ExecCpuSet *c);
/* Applies one CPUAffinity= value: CPU numbers and ranges ("0 2-3,5") separated by whitespace or
 * commas are added to *c; an empty value empties it. Returns 0, -EINVAL/-ERANGE for a bad word
 * (then *c is unchanged), or -ENOMEM. Sets *ret_bad_range when a range ran backwards ("3-1"),
 * which systemd warns about and skips. */
int exec_cpu_set_add_value(ExecCpuSet *c, const char *value, bool *ret_bad_range);

/* "x86-64", "x86", "arm64", "arm", … for the architectures this machine can run; returns the
 * personality(2) value (PER_LINUX or PER_LINUX32) or -EINVAL. */
int exec_personality_from_string(const char *s);

typedef enum ExecKeyringMode {
        EXEC_KEYRING_INHERIT,
        EXEC_KEYRING_PRIVATE,
        EXEC_KEYRING_SHARED,
        _EXEC_KEYRING_MODE_MAX,
        _EXEC_KEYRING_MODE_INVALID = -EINVAL,
} ExecKeyringMode;

const char *exec_keyring_mode_to_string(ExecKeyringMode m) _const_;
ExecKeyringMode exec_keyring_mode_from_string(const char *s) _pure_;
