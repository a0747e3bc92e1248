/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * escape.h: C-style escaping and unescaping, shell-like word splitting and quoting for
 * display, with systemd 252's semantics. These are the primitives behind every list-valued
 * unit-file setting (Exec*=, Environment=, …) and behind printing command lines back.
 *
 * Every function returning a string returns a new one owned by the caller (NULL on OOM for
 * the char * functions). Nothing here logs.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* Characters special to a shell: must be escaped even inside double quotes. */
#define SHELL_NEED_ESCAPE "\"\\`$"
/* Characters that force a word into quotes when printed for a shell-like line. */
#define SHELL_NEED_QUOTES SHELL_NEED_ESCAPE "*?[" "'()<>|&;!"

typedef enum ExtractFlags {
        EXTRACT_RELAX                    = 1 << 0, /* unbalanced quote / trailing backslash accepted instead of -EINVAL */
        EXTRACT_CUNESCAPE                = 1 << 1, /* decode C escapes */
        EXTRACT_CUNESCAPE_RELAX          = 1 << 2, /* keep unknown escapes verbatim */
        EXTRACT_UNESCAPE_SEPARATORS      = 1 << 3, /* "\<separator>" yields the separator */
        EXTRACT_UNQUOTE                  = 1 << 4, /* '…' and "…" group text and are removed */
        EXTRACT_DONT_COALESCE_SEPARATORS = 1 << 5,
        EXTRACT_RETAIN_ESCAPE            = 1 << 6, /* keep backslashes as written */
        EXTRACT_RETAIN_SEPARATORS        = 1 << 7, /* leave *p at the separator that ended the word */
        EXTRACT_UNESCAPE_RELAX           = 1 << 8, /* unknown escapes and a trailing backslash kept verbatim */
        EXTRACT_KEEP_QUOTE               = 1 << 9, /* quotes group text but stay in the word */
} ExtractFlags;

/* Extracts the next word from *p (advancing it). separators NULL = whitespace. Returns 1 and the
 * word (owned by caller), 0 at the end (*ret = NULL), or a negative errno (-EINVAL for bad quoting
 * or escapes, e.g. an escape producing a NUL byte; *p is then left at the offending character).
 * Same semantics as systemd's extract_first_word(). When the input is used up *p becomes NULL.
 * EXTRACT_CUNESCAPE_RELAX is accepted as an alias of EXTRACT_UNESCAPE_RELAX. */
int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags);

/* Splits all of s into words with extract_first_word(); *ret is a strv owned by the caller
 * (empty, not NULL, when s has no words). Returns the number of words or a negative errno. */
int strv_split_full(const char *s, const char *separators, ExtractFlags flags, char ***ret);

typedef enum UnescapeFlags {
        UNESCAPE_RELAX      = 1 << 0, /* unknown escapes and a trailing backslash stay verbatim */
        UNESCAPE_ACCEPT_NUL = 1 << 1, /* \0 \x00 \u0000 … produce a NUL byte instead of -EINVAL */
} UnescapeFlags;

/* Decodes one escape sequence; p points behind the backslash and at most length bytes are read
 * (SIZE_MAX: up to the NUL). Returns how many bytes of p it used, with the code point in *ret;
 * *eight_bit is set when the value is a raw byte (\xNN, \NNN) rather than a Unicode code point.
 * -EINVAL for unknown or malformed escapes, NUL (unless accept_nul) and octal values above 255. */
int cunescape_one(const char *p, size_t length, uint32_t *ret, bool *eight_bit, bool accept_nul);

/* Decodes \a \b \f \n \r \t \v \\ \" \' \s \xNN \NNN \uNNNN \UNNNNNNNN in the first length bytes
 * of s; returns the length of *ret (owned by the caller, NUL-terminated) or a negative errno. */
ssize_t cunescape(const char *s, size_t length, UnescapeFlags flags, char **ret);

/* Writes the C escape of c to buf (room for 4 bytes needed); returns the number of bytes. */
int cescape_char(char c, char *buf);
/* The inverse of cunescape(), for printing: control bytes, bytes >= 127, \ " and ' escaped. */
char *cescape(const char *s);
char *cescape_length(const char *s, size_t n);

typedef enum ShellEscapeFlags {
        SHELL_ESCAPE_POSIX = 1 << 1, /* use $'…' instead of "…" */
        SHELL_ESCAPE_EMPTY = 1 << 2, /* print the empty string as "" */
} ShellEscapeFlags;

/* Quotes a word for a shell-like line only if needed: words made of printable UTF-8 without
 * whitespace or shell specials are returned unchanged (also the empty string). */
char *shell_maybe_quote(const char *s);
char *shell_maybe_quote_full(const char *s, ShellEscapeFlags flags);
/* Backslash-escapes \, every character in bad and control characters (no quotes added). */
char *shell_escape(const char *s, const char *bad);
/* Joins argv with spaces, each word through shell_maybe_quote_full(). */
char *quote_command_line(char *const *argv, ShellEscapeFlags flags);

