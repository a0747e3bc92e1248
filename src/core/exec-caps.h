/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-caps.h: capabilities and secure bits for services: the names ("cap_net_admin", any case,
 * or a number 0…63), the value syntax of CapabilityBoundingSet=/AmbientCapabilities= and
 * SecureBits= (systemd.exec(5)), and the calls the exec helper makes to apply them with raw
 * capget/capset/prctl (no libcap). A capability set is a uint64_t with bit N for capability N.
 */

#include <stdbool.h>
#include <stdint.h>

#include "macro.h"

#define EXEC_CAP_ALL UINT64_MAX

/* "cap_chown" … for the capabilities this build knows; NULL otherwise. */
const char *exec_cap_to_name(int cap) _const_;
/* A name (case-insensitive, "CAP_" prefix required) or a number 0…63; -EINVAL otherwise. */
int exec_cap_from_name(const char *name) _pure_;
/* The highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap). */
unsigned exec_cap_last_cap(void);

/* The words of one value as a set: unknown names are skipped, as systemd does. 0, -EINVAL for a
 * quoting error, -ENOMEM. */
int exec_cap_set_from_string(const char *s, uint64_t *ret);

/* Applies one CapabilityBoundingSet= (initial = EXEC_CAP_ALL) or AmbientCapabilities=
 * (initial = 0) value to *set as systemd does: a leading "~" inverts the listed set; a value
 * without capabilities or the first value replaces *set, later ones are or-ed in (or, inverted,
 * masked out). Returns as exec_cap_set_from_string(). */
int exec_cap_set_apply_value(uint64_t *set, uint64_t initial, const char *value);

/* SecureBits= words ("keep-caps", "keep-caps-locked", "no-setuid-fixup",
 * "no-setuid-fixup-locked", "noroot", "noroot-locked"); unknown words are skipped. Returns the
 * bits (>= 0) or -ENOMEM/-EINVAL. */
int exec_secure_bits_from_string(const char *s);

/* --- applied by the exec helper -------------------------------------------------------------- */

/* Drops every capability not in keep from the bounding and inheritable sets. 0 or -errno. */
int exec_cap_bounding_set_drop(uint64_t keep);
/* Puts set into the ambient set (and first into the inheritable set when also_inheritable);
 * capabilities outside the bounding set are left out. 0 or -errno. */
int exec_cap_ambient_set_apply(uint64_t set, bool also_inheritable);
/* Raises CAP_SETPCAP in the effective set if it is permitted (needed for PR_SET_SECUREBITS and
 * PR_CAPBSET_DROP after the kernel cleared it). 0 or -errno. */
int exec_cap_gain_setpcap(void);
/* Whether cap is in this process's effective set. */
bool exec_cap_is_effective(int cap);
