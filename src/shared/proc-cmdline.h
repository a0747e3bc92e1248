/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * proc-cmdline.h: the kernel command line, as systemd reads it. The line comes from
 * $SYSTEMD_PROC_CMDLINE when that is set (for tests), else from /proc/cmdline; it is read anew on
 * every call. It splits into words like a shell does for quotes ('…' and "…" group text and are
 * removed; backslashes stay as written). Words starting with "rd." are meant for the initrd:
 * outside of it they are skipped. In keys, '-' and '_' are the same character.
 */

#include <stdbool.h>

typedef enum ProcCmdlineFlags {
        PROC_CMDLINE_STRIP_RD_PREFIX = 1 << 0, /* in the initrd, hand out "rd.x" as "x" */
        PROC_CMDLINE_VALUE_OPTIONAL  = 1 << 1, /* proc_cmdline_get_key(): a bare "key" counts too */
} ProcCmdlineFlags;

/* Called with the key (the word up to its first '=') and the value behind it, NULL for a word
 * without '='. A negative return stops the parsing and is returned. */
typedef int (*proc_cmdline_parse_t)(const char *key, const char *value, void *data);

/* Whether we run in the initrd: $SYSTEMD_IN_INITRD (a boolean) if set, else whether
 * /etc/initrd-release exists. */
bool proc_cmdline_in_initrd(void);

/* The whole line, owned by the caller. 0 or -errno. */
int proc_cmdline(char **ret);

/* Calls parse_item for every word of line (or of the kernel command line), in order. 0, or the
 * first negative return of parse_item, or -errno. */
int proc_cmdline_parse_given(const char *line, proc_cmdline_parse_t parse_item, void *data,
                             ProcCmdlineFlags flags);
int proc_cmdline_parse(proc_cmdline_parse_t parse_item, void *data, ProcCmdlineFlags flags);

/* Looks key up, as systemd's proc_cmdline_get_key(): with ret_value, "key=VALUE" words match and
 * the value of the last one is returned (owned by the caller); with PROC_CMDLINE_VALUE_OPTIONAL a
 * bare "key" matches too (*ret_value stays NULL if no "key=" word came). Without ret_value the
 * word must equal key exactly. 1 if found, 0 if not (*ret_value = NULL), -EINVAL for an empty
 * key, or -errno. */
int proc_cmdline_get_key(const char *key, ProcCmdlineFlags flags, char **ret_value);
/* A boolean switch: "key" and "key=yes" are true, "key=no" false, absent false. 1 if present,
 * 0 if absent, -EINVAL if the value is not a boolean, or -errno. */
int proc_cmdline_get_bool(const char *key, bool *ret);

/* The test of KernelCommandLine= (and udev's conditions): with a '=' in word, a word equal to it;
 * without, a word equal to it or starting with "word=". Keys compare exactly and rd. words count
 * everywhere. 1 found, 0 not, -errno. */
int proc_cmdline_has_word(const char *word);

/* streq() and startswith() for keys, with '-' and '_' the same. */
bool proc_cmdline_key_streq(const char *x, const char *y);
char *proc_cmdline_key_startswith(const char *s, const char *prefix);
