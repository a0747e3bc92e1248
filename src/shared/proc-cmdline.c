/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-cmdline.c: implementation of proc-cmdline.h. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "fd-util.h"
#include "macro.h"
#include "parse-util.h"
#include "proc-cmdline.h"
#include "string-util.h"

#define CMDLINE_EXTRACT_FLAGS (EXTRACT_UNQUOTE | EXTRACT_RELAX | EXTRACT_RETAIN_ESCAPE)

bool proc_cmdline_in_initrd(void) {
        const char *e = secure_getenv("SYSTEMD_IN_INITRD");

        if (e) {
                int b = parse_boolean(e);

                if (b >= 0)
                        return b;
        }
        return access("/etc/initrd-release", F_OK) >= 0;
}

int proc_cmdline(char **ret) {
        const char *e = secure_getenv("SYSTEMD_PROC_CMDLINE");

        if (e) {
                char *s = strdup(e);

                if (!s)
                        return -ENOMEM;
                *ret = s;
                return 0;
        }
        return read_full_file("/proc/cmdline", SIZE_MAX, ret, NULL);
}

/* The next word of the line at *p (advancing *p), with the rd. rules applied. 1 and the word
 * (owned by the caller), 0 at the end (*ret_word = NULL), or -errno. */
static int proc_cmdline_extract_first(const char **p, char **ret_word, ProcCmdlineFlags flags) {
        for (;;) {
                _cleanup_free_ char *word = NULL;
                const char *rest;
                int r;

                r = extract_first_word(p, &word, NULL, CMDLINE_EXTRACT_FLAGS);
                if (r < 0)
                        return r;
                if (r == 0) {
                        *ret_word = NULL;
                        return 0;
                }
                rest = startswith(word, "rd.");
                if (rest) {
                        if (!proc_cmdline_in_initrd())
                                continue;
                        if (flags & PROC_CMDLINE_STRIP_RD_PREFIX)
                                memmove(word, rest, strlen(rest) + 1);
                }
                *ret_word = TAKE_PTR(word);
                return 1;
        }
}

int proc_cmdline_parse_given(const char *line, proc_cmdline_parse_t parse_item, void *data,
                             ProcCmdlineFlags flags) {
        const char *p = line;

        for (;;) {
                _cleanup_free_ char *word = NULL;
                char *value;
                int r;

                r = proc_cmdline_extract_first(&p, &word, flags);
                if (r <= 0)
                        return r;
                value = strchr(word, '=');
                if (value)
                        *value++ = '\0';
                r = parse_item(word, value, data);
                if (r < 0)
                        return r;
        }
}

int proc_cmdline_parse(proc_cmdline_parse_t parse_item, void *data, ProcCmdlineFlags flags) {
        _cleanup_free_ char *line = NULL;
        int r;

        r = proc_cmdline(&line);
        if (r < 0)
                return r;
        return proc_cmdline_parse_given(line, parse_item, data, flags);
}

static bool key_char_eq(char a, char b) {
        return a == b || (a == '-' && b == '_') || (a == '_' && b == '-');
}

char *proc_cmdline_key_startswith(const char *s, const char *prefix) {
        for (; *prefix; s++, prefix++)
                if (!key_char_eq(*s, *prefix))
                        return NULL;
        return (char *) s;
}

bool proc_cmdline_key_streq(const char *x, const char *y) {
        for (; *x || *y; x++, y++)
                if (!key_char_eq(*x, *y))
                        return false;
        return true;
}

int proc_cmdline_get_key(const char *key, ProcCmdlineFlags flags, char **ret_value) {
        _cleanup_free_ char *line = NULL, *value = NULL;
        const char *p;
        bool found = false;
        int r;

        if (isempty(key) || ((flags & PROC_CMDLINE_VALUE_OPTIONAL) && !ret_value))
                return -EINVAL;
        r = proc_cmdline(&line);
        if (r < 0)
                return r;
        for (p = line; !found || ret_value;) {
                _cleanup_free_ char *word = NULL;
                const char *e;

                r = proc_cmdline_extract_first(&p, &word, flags);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                if (!ret_value) {
                        found = streq(word, key);
                        continue;
                }
                e = proc_cmdline_key_startswith(word, key);
                if (!e)
                        continue;
                if (*e == '=') {
                        r = free_and_strdup(&value, e + 1);
                        if (r < 0)
                                return r;
                        found = true;
                } else if (*e == '\0' && (flags & PROC_CMDLINE_VALUE_OPTIONAL))
                        found = true;
        }
        if (ret_value)
                *ret_value = TAKE_PTR(value);
        return found;
}

int proc_cmdline_get_bool(const char *key, bool *ret) {
        _cleanup_free_ char *v = NULL;
        int r;

        r = proc_cmdline_get_key(key, PROC_CMDLINE_VALUE_OPTIONAL, &v);
        if (r < 0)
                return r;
        if (r == 0) {
                *ret = false;
                return 0;
        }
        if (v) {
                r = parse_boolean(v);
                if (r < 0)
                        return r;
                *ret = r;
        } else
                *ret = true;
        return 1;
}

int proc_cmdline_has_word(const char *word) {
        _cleanup_free_ char *line = NULL;
        bool equal = strchr(word, '=');
        int r;

        r = proc_cmdline(&line);
        if (r < 0)
                return r;
        for (const char *p = line;;) {
                _cleanup_free_ char *w = NULL;
                const char *f;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_RELAX);
                if (r <= 0)
                        return r;
                if (equal ? streq(w, word) : ((f = startswith(w, word)) && IN_SET(*f, '\0', '=')))
                        return 1;
        }
}
