/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * wire-value: a D-Bus value held as a plain tree, so that the benchmark can feed exactly the same
 * values, in the same order, to two marshallers (sysmaster's bus-message and sd-bus), and check
 * what either reader gives back against it. Values are written as text in busctl's notation
 * with the signature given separately: basic values as tokens (numbers, true/false, strings in
 * single or double quotes), an array as its element count followed by the elements, a struct or
 * dict entry as its fields in order, a variant as its signature (a quoted string) followed by its
 * value. Example: signature "a(sb)", text "2 'a' true 'b' false". A tree owns all its memory.
 */

#include <stddef.h>
#include <stdint.h>

#include "macro.h"

typedef struct WireValue WireValue;
struct WireValue {
        char type;      /* a basic type code, or 'a', '(', '{', 'v' */
        char *contents; /* containers: the contents signature as open_container() takes it */
        char *elem_contents; /* arrays of containers: the contents of an element, else NULL */
        union {
                uint8_t y;
                int b; /* both marshallers take an int for 'b' */
                int16_t n;
                uint16_t q;
                int32_t i;
                uint32_t u;
                int64_t x;
                uint64_t t;
                double d;
                char *s; /* s, o, g */
        } v;
        WireValue *items; /* containers: children (array elements, fields, the variant's value) */
        size_t n_items;
};

/* Parses the text of one value of the single complete type sig into *ret (an owned tree).
 * Returns 0, -EINVAL for text that does not match the signature, -ENOMEM. */
int wire_value_parse(const char *sig, const char *text, WireValue **ret);
/* Frees a tree from wire_value_parse() (NULL is fine); returns NULL. */
WireValue *wire_value_free(WireValue *v);
DEFINE_TRIVIAL_CLEANUP_FUNC(WireValue *, wire_value_free);

/* Fills v (not allocated: v is owned by the caller, its parts by v) as a basic value or as a
 * container with n_items zeroed children. Returns 0 or -ENOMEM. */
int wire_value_init_basic_string(WireValue *v, char type, const char *s);
int wire_value_init_container(WireValue *v, char type, const char *contents, size_t n_items);
/* Frees what v owns, not v itself. */
void wire_value_done(WireValue *v);

/* The checksum every reader in the benchmark computes while it reads a message: each value
 * folds its type (containers as 'a', '(', '{', 'v') and, for basic values, the value itself
 * (integers widened to 64 bits, booleans as 0/1, strings as their length and first byte). */
static inline uint64_t wire_fold(uint64_t h, uint64_t x) {
        return (h ^ x) * UINT64_C(0x100000001b3);
}
#define WIRE_FOLD_SEED UINT64_C(0xcbf29ce484222325)

/* Folds the tree v into h in reading order, as a reader of the marshalled value would. */
uint64_t wire_value_checksum(const WireValue *v, uint64_t h);
