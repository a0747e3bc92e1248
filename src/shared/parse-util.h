/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * parse-util.h: numbers, booleans, sizes and percentages as systemd 252 reads them from unit
 * files and the command line.
 *
 * Every parser returns 0 (or the parsed value where the declaration says so) and a negative
 * errno on failure: -EINVAL for malformed text (including trailing garbage or whitespace),
 * -ERANGE for a number that does not fit. Out-parameters may be NULL (then the text is only
 * validated) and are left untouched on failure.
 *
 * Integers: leading whitespace is skipped; "0x…" is hexadecimal, "0o…" and C's "0…" octal,
 * "0b…" binary (with base 0, the default); '+' is accepted; for unsigned types a leading '-'
 * gives -ERANGE (except for "-0").
 */

#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* Flags or-ed into the base argument of the *_full() variants. */
#define SAFE_ATO_REFUSE_PLUS_MINUS (1U << 30)
#define SAFE_ATO_REFUSE_LEADING_ZERO (1U << 29)
#define SAFE_ATO_REFUSE_LEADING_WHITESPACE (1U << 28)
#define SAFE_ATO_ALL_FLAGS \
        (SAFE_ATO_REFUSE_PLUS_MINUS | SAFE_ATO_REFUSE_LEADING_ZERO | SAFE_ATO_REFUSE_LEADING_WHITESPACE)

/* 1/yes/y/true/t/on → 1, 0/no/n/false/f/off → 0 (any case); -EINVAL otherwise (also NULL). */
int parse_boolean(const char *v);

int safe_atou_full(const char *s, unsigned base, unsigned *ret);
int safe_atou64_full(const char *s, unsigned base, uint64_t *ret);
int safe_atoi(const char *s, int *ret);
int safe_atoi64(const char *s, int64_t *ret);
int safe_atoi16(const char *s, int16_t *ret);
int safe_atou8_full(const char *s, unsigned base, uint8_t *ret);
int safe_atou16_full(const char *s, unsigned base, uint16_t *ret);

static inline int safe_atou(const char *s, unsigned *ret) {
        return safe_atou_full(s, 0, ret);
}
static inline int safe_atou32(const char *s, uint32_t *ret) {
        return safe_atou_full(s, 0, (unsigned *) ret);
}
static inline int safe_atou64(const char *s, uint64_t *ret) {
        return safe_atou64_full(s, 0, ret);
}
static inline int safe_atou16(const char *s, uint16_t *ret) {
        return safe_atou16_full(s, 0, ret);
}
static inline int safe_atou8(const char *s, uint8_t *ret) {
        return safe_atou8_full(s, 0, ret);
}
static inline int safe_atoi32(const char *s, int32_t *ret) {
        return safe_atoi(s, (int *) ret);
}
/* Hexadecimal without prefix ("ff"). */
static inline int safe_atoux64(const char *s, uint64_t *ret) {
        return safe_atou64_full(s, 16, ret);
}
int safe_atolu(const char *s, unsigned long *ret);
int safe_atozu(const char *s, size_t *ret);

/* A size with optional K, M, G, T, P, E (factors of base, which is 1000 or 1024) or B suffix,
 * decimals allowed ("1.5K"), several parts in falling order added up ("1G 512M"). Suffixes are
 * upper-case; "1KB" is not accepted. -ERANGE for negative values and overflow. */
int parse_size(const char *t, uint64_t base, uint64_t *ret);

/* "N%" → N (0..100). Returns the value or -EINVAL/-ERANGE. */
int parse_percent(const char *p);
int parse_percent_unbounded(const char *p);
/* "N.N%" or "N‰" → 0..1000 (one decimal for %). */
int parse_permille(const char *p);
int parse_permille_unbounded(const char *p);
/* "N.NN%", "N.N‰" or "N‱" → 0..10000. */
int parse_permyriad(const char *p);
int parse_permyriad_unbounded(const char *p);

/* Octal file mode, at most 07777; no sign. */
int parse_mode(const char *s, mode_t *ret);
/* A positive PID. -ERANGE for 0 or a value that does not fit pid_t. */
int parse_pid(const char *s, pid_t *ret);
/* A decimal UID without sign, leading zero or whitespace; -ENXIO for 65535 and 4294967295. */
int parse_uid(const char *s, uid_t *ret);
static inline int parse_gid(const char *s, gid_t *ret) {
        return parse_uid(s, (uid_t *) ret);
}
/* "A-B" (A ≤ B) or a single UID. */
int parse_uid_range(const char *s, uid_t *ret_lower, uid_t *ret_upper);
/* A positive interface index; returns it, or -EINVAL/-ERANGE. */
int parse_ifindex(const char *s);
/* Nice level -20..19. */
int parse_nice(const char *s, int *ret);
/* OOMScoreAdjust= value -1000..1000. */
int parse_oom_score_adjust(const char *s, int *ret);
/* An errno name ("ENOENT") or number 0..4095; returns the number or -EINVAL/-ERANGE. */
int parse_errno(const char *s);
/* "N" or "N-M" of unsigned numbers. */
int parse_range(const char *s, unsigned *ret_lower, unsigned *ret_upper);
