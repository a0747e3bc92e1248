/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-rlimit.h: resource limits as unit files spell them (Limit*= in systemd.exec(5)): the
 * names, the "SOFT[:HARD]" values with each resource's unit (seconds for CPU, microseconds for
 * RTTIME, sizes with K/M/G… base 1024 for the memory and file limits, nice levels for NICE,
 * plain numbers otherwise, "infinity" everywhere), and setting a limit as close as the hard limit
 * allows (what systemd does for services when the manager itself is limited).
 */

#include <sys/resource.h>

#include "macro.h"

/* RLIMIT_CPU … RLIMIT_RTTIME: the resources Limit*= knows (RLIMIT_NLIMITS on Linux). */
#define EXEC_RLIMIT_MAX 16

/* "CPU", "NOFILE", … (without "Limit" or "RLIMIT_"); NULL for an unknown resource. */
const char *exec_rlimit_to_string(int resource) _const_;
/* Accepts "NOFILE", "RLIMIT_NOFILE" and "LimitNOFILE". Returns the resource or -EINVAL. */
int exec_rlimit_from_string(const char *s) _pure_;

/* Parses one Limit*= value for resource: "SOFT:HARD", or one value for both. 0, -EINVAL for
 * malformed text, -ERANGE for out-of-range values, -EILSEQ when SOFT is above HARD. */
int exec_rlimit_parse(int resource, const char *value, struct rlimit *ret);

/* setrlimit(), and on EPERM the same limit clamped to the current hard limit. 0 or -errno. */
int exec_rlimit_set_closest(int resource, const struct rlimit *rl);
