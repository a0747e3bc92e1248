/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-signature: the D-Bus type-signature grammar. A signature is a sequence of complete types
 * of at most 255 bytes; arrays and structs (dict entries count as structs) nest at most 32
 * levels each; a dict entry '{kv}' appears only as an array element and has a basic key.
 * Pure functions, nothing allocates.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

#define BUS_SIGNATURE_MAX 255U
#define BUS_ARRAY_DEPTH_MAX 32U
#define BUS_STRUCT_DEPTH_MAX 32U
/* arrays + structs + variants together, in a message body */
#define BUS_TOTAL_DEPTH_MAX 64U

/* Per type code: the size of a fixed basic type (1, 2, 4, 8), BUS_TYPE_CLASS_STRING for s, o
 * and g, 0 for anything else. A table, because the writer, the reader and the validator ask
 * for every value. */
#define BUS_TYPE_CLASS_STRING 0x80U
extern const uint8_t bus_type_class[256];

/* Whether c is a basic type code (y b n q i u x t d h s o g). */
static inline bool bus_type_is_basic(char c) {
        return bus_type_class[(uint8_t) c] != 0;
}
/* Size in bytes of the fixed basic type c, 0 for anything else. */
static inline size_t bus_type_fixed_size(char c) {
        return bus_type_class[(uint8_t) c] & 0x0fU;
}
/* Whether c is a basic type of fixed size (all basic types but s, o, g). */
static inline bool bus_type_is_fixed(char c) {
        return bus_type_fixed_size(c) > 0;
}
/* Alignment in bytes of a value whose signature starts with c (1, 2, 4 or 8); 0 if c starts no
 * type ('(' and '{' give 8, 'a' 4, 'v' and 'g' 1). */
size_t bus_type_alignment(char c) _const_;

/* Length of the single complete type at the start of s (at most n bytes are read, a NUL also
 * ends it), with nesting counted from the given depths. Returns the length (>0) or -EINVAL if
 * s does not start with a valid complete type. */
int bus_signature_complete_type_length(const char *s, size_t n, unsigned array_depth,
                                       unsigned struct_depth);
/* Whether s (n bytes, not needing a NUL) is a valid signature: zero or more complete types,
 * at most 255 bytes. */
bool bus_signature_is_valid_n(const char *s, size_t n) _pure_;
bool bus_signature_is_valid(const char *s) _pure_;
/* Whether s is exactly one complete type (what a variant or an array element carries). */
bool bus_signature_is_single(const char *s) _pure_;
