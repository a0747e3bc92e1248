/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * string-util.h: comparisons, prefixes/suffixes, trimming and joining of NUL-terminated
 * strings. Functions that return a new string return it owned by the caller (NULL on OOM);
 * functions that return "const char *" return a pointer into their argument.
 */

#include <stdarg.h>

#include "macro.h"

#define WHITESPACE " \t\n\r"
#define NEWLINE "\n\r"
#define DIGITS "0123456789"
#define LOWERCASE_LETTERS "abcdefghijklmnopqrstuvwxyz"
#define UPPERCASE_LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LETTERS LOWERCASE_LETTERS UPPERCASE_LETTERS
#define ALPHANUMERICAL LETTERS DIGITS
#define HEXDIGITS DIGITS "abcdefABCDEF"

static inline bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}
/* NULL-safe: two NULLs are equal. */
bool streq_ptr(const char *a, const char *b);
/* STR_IN_SET(x, "a", "b"): x (not NULL) equals one of the listed strings. */
#define STR_IN_SET(x, ...)                                      \
        ({                                                      \
                const char *_sis_s_, *_sis_x_ = (x);            \
                bool _sis_r_ = false;                           \
                FOREACH_STRING(_sis_s_, __VA_ARGS__)            \
                        if (streq(_sis_s_, _sis_x_)) {          \
                                _sis_r_ = true;                 \
                                break;                          \
                        }                                       \
                _sis_r_;                                        \
        })
static inline bool isempty(const char *s) {
        return !s || !*s;
}
static inline const char *strempty(const char *s) {
        return s ?: "";
}
static inline const char *strna(const char *s) {
        return s ?: "n/a";
}
static inline const char *yes_no(bool b) {
        return b ? "yes" : "no";
}

/* Returns a pointer behind the prefix in s, or NULL if s does not start with prefix. */
char *startswith(const char *s, const char *prefix) _pure_;
char *startswith_no_case(const char *s, const char *prefix) _pure_;
/* Returns a pointer to where suffix starts in s, or NULL. */
char *endswith(const char *s, const char *suffix) _pure_;

/* Strips leading and trailing whitespace in place; returns s moved past the leading blanks. */
char *strstrip(char *s);
/* Cuts s at its first newline character (\n or \r), in place, as systemd does. */
char *truncate_nl(char *s);
/* Lower-cases ASCII letters in place. */
char *ascii_strlower(char *s);

/* Concatenates the NULL-terminated list of strings; the result is owned by the caller. */
char *strjoin_real(const char *x, ...) _sentinel_;
#define strjoin(a, ...) strjoin_real((a), __VA_ARGS__, NULL)
/* Appends the NULL-terminated list to *x (reallocating it). Returns 0 or -ENOMEM. */
int strextend_real(char **x, ...) _sentinel_;
#define strextend(x, ...) strextend_real((x), __VA_ARGS__, NULL)
/* Appends to *x, inserting separator before the new part unless *x is empty. */
int strextend_with_separator(char **x, const char *separator, const char *s);
/* printf into a new string; -ENOMEM on failure. */
int asprintf_safe(char **ret, const char *format, ...) _printf_(2, 3);
/* Replaces *p with a copy of s (NULL allowed). Returns 1 if changed, 0 if equal, -ENOMEM. */
int free_and_strdup(char **p, const char *s);
/* Replaces *p with s, taking ownership. */
void free_and_replace_str(char **p, char *s);

bool string_has_cc(const char *s, const char *ok) _pure_;
bool ascii_is_valid(const char *s) _pure_;
/* Whether c is a Unicode scalar value that is not a noncharacter (U+FDD0..U+FDEF, U+xFFFE,
 * U+xFFFF), as systemd checks. */
bool unichar_is_valid(uint32_t c) _const_;
/* Length of the valid UTF-8 character at s (1..4, reading at most n bytes), -EINVAL if the
 * bytes are not UTF-8 or the character fails unichar_is_valid(). */
int utf8_encoded_valid_unichar(const char *s, size_t n);
/* Whether s is valid UTF-8 as systemd's utf8_is_valid() checks: no overlongs, no surrogates,
 * nothing above U+10FFFF, no noncharacters. */
bool utf8_is_valid(const char *s) _pure_;
bool utf8_is_valid_n(const char *s, size_t n) _pure_;
/* The same, but noncharacters are allowed: what the D-Bus specification (since 0.21, after
 * Unicode Corrigendum #9) requires of strings, and what libdbus accepts. */
bool utf8_is_valid_n_allow_noncharacters(const char *s, size_t n) _pure_;
/* Decodes one UTF-8 character at s; returns its length (1..4) and the code point, or -EINVAL. */
int utf8_decode_one(const char *s, size_t n, uint32_t *ret);
/* Encodes code point c into out (at least 4 bytes); returns the number of bytes. */
size_t utf8_encode_one(char *out, uint32_t c);

/* Copies at most n bytes; always NUL-terminates. Caller owns the result. */
char *strndup_safe(const char *s, size_t n);
/* Whether every character of s is in charset (true for "", false for NULL). */
bool in_charset(const char *s, const char *charset) _pure_;

static inline int strcmp_ptr(const char *a, const char *b) {
        if (a && b)
                return strcmp(a, b);
        return (a != NULL) - (b != NULL);
}
static inline int hexchar(int x) {
        return "0123456789abcdef"[x & 15];
}
int unhexchar(char c) _const_;

/* The index of s in table (n entries, NULL entries skipped), -EINVAL if absent or s is NULL:
 * the *_from_string() of enum name tables. */
int string_table_lookup(const char *const *table, size_t n, const char *s) _pure_;

/* Defines name_table[max] from designated initializers and the two functions
 * `const char *name_to_string(type)` (NULL when out of range) and `type name_from_string(const char *)`
 * (-EINVAL when unknown). */
#define DEFINE_STRING_TABLE(name, type, max, ...)                                          \
        static const char *const name##_table[max] = { __VA_ARGS__ };                      \
        const char *name##_to_string(type v) {                                             \
                return v >= 0 && (int) v < (int) (max) ? name##_table[v] : NULL;           \
        }                                                                                  \
        type name##_from_string(const char *s) {                                           \
                return (type) string_table_lookup(name##_table, (max), s);                 \
        }
