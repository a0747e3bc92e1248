/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * conf-parser.h: the ini-style parser of unit files and other systemd-style configuration
 * files, with systemd 252's line rules (see shared/spec/unit-files.md §8):
 *
 *   - lines end at "\n", "\r", "\r\n", "\n\r" or a NUL byte; a UTF-8 byte-order mark at the
 *     start of a line is removed (only the first one met);
 *   - a line whose first non-blank character is '#' or ';' is a comment, also in the middle of
 *     a continuation (which then goes on with the next non-comment line);
 *   - a line ending in an odd number of backslashes continues: the last backslash becomes a
 *     space and the next line is appended as it is; a continuation still open at end of file
 *     is parsed as it stands (reported one line past the last one, as systemd does);
 *   - "[Name]" opens a section; "Key = value" is an assignment, the key being the text before
 *     the first '=' and both sides stripped.
 *
 * The parser owns nothing the caller sees after it returns: section, key and value passed to
 * the callback are only valid during the call. Messages name the file and line and use
 * systemd's wording; they are logged at debug level unless CONFIG_PARSE_WARN is given.
 */

#include <stdio.h>

/* The longest physical line and the longest joined continuation, in bytes. */
#define CONFIG_LINE_MAX (1024U * 1024U)

/* Returned by a ConfigAssignmentCallback when it does not know the key: the parser then logs
 * "FILE:LINE: Unknown key 'KEY' in section [SECTION], ignoring." (systemd 252's wording;
 * "Unknown key 'KEY', ignoring." when there is no section). */
#define CONFIG_KEY_UNKNOWN 1

/* Called for every assignment: 0 = handled, CONFIG_KEY_UNKNOWN, or a negative errno which is
 * fatal: parsing stops and config_parse_*() returns it (the callback has logged already). value
 * is stripped; key is the text before the first '=', stripped and never empty. Keys starting
 * with "X-" and all assignments in sections starting with "X-" never reach the callback.
 * section is NULL only when config_parse_*() was given sections == NULL and no section header
 * came yet; section_line is the line of its header (0 then). */
typedef int (*ConfigAssignmentCallback)(const char *unit, const char *filename, unsigned line,
                                        const char *section, unsigned section_line, const char *key,
                                        const char *value, void *userdata);

typedef enum ConfigParseFlags {
        /* Log problems at systemd's levels (LOG_WARNING; LOG_ERR for the fatal ones) instead of
         * LOG_DEBUG. */
        CONFIG_PARSE_WARN = 1 << 0,
} ConfigParseFlags;

/* Parses f (or opens filename if f is NULL; -ENOENT and other open errors are returned).
 * sections: NULL-terminated list of known section names (NULL accepts any); an unknown one gets
 * "Unknown section 'NAME'. Ignoring." and its assignments are skipped; a name listed with a
 * leading '-' ("-Install") and any name starting with "X-" are skipped silently.
 *
 * Returns 0, or a negative errno, as systemd 252 does for the same file:
 *   -EBADMSG  "Invalid section header '…'" or "Bad characters in section header '…'";
 *   -EINVAL   a line that is not valid UTF-8 ("String is not UTF-8 clean, ignoring
 *             assignment: …" — despite the wording, systemd fails the whole file);
 *   -ENOBUFS  a physical line of CONFIG_LINE_MAX bytes or more, or a joined continuation
 *             longer than CONFIG_LINE_MAX ("Line too long", "Continuation line too long");
 *   the callback's error, -ENOMEM, or an I/O error.
 * Assignments before the failing line have been delivered already. unit is used for log
 * context only and may be NULL; filename is used in messages and may not be NULL. */
int config_parse_file(const char *unit, const char *filename, FILE *f, const char *const *sections,
                      ConfigAssignmentCallback callback, ConfigParseFlags flags, void *userdata);

/* The same over a memory buffer (size bytes, need not be NUL-terminated, may contain NULs, which
 * end lines as in a file); filename is used for messages only. */
int config_parse_buffer(const char *unit, const char *filename, const char *data, size_t size,
                        const char *const *sections, ConfigAssignmentCallback callback,
                        ConfigParseFlags flags, void *userdata);
