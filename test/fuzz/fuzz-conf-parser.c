/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-conf-parser.c: feeds arbitrary bytes to the unit-file parser, once as a unit file (known
 * sections, warnings on) and once as a free-form configuration file (any section), and once more
 * through a FILE stream, which must give exactly the same assignments and result as the buffer.
 * The callback checks the invariants the parser promises its users and aborts if one breaks.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf-parser.h"
#include "fuzz.h"
#include "log.h"
#include "siphash24.h"
#include "string-util.h"

typedef struct Trace {
        uint64_t hash; /* of everything the callback saw, in order */
        unsigned calls;
        unsigned last_line;
        const char *const *sections;
} Trace;

static const char *const unit_sections[] = { "Unit", "Service", "Socket", "-Install", NULL };

static void check(bool ok, const char *what) {
        if (!ok) {
                fprintf(stderr, "fuzz-conf-parser: broken invariant: %s\n", what);
                abort();
        }
}

static bool is_blank(char c) {
        return c != 0 && strchr(WHITESPACE, c);
}

static bool stripped(const char *s) {
        size_t n = strlen(s);

        return n == 0 || (!is_blank(s[0]) && !is_blank(s[n - 1]));
}

static void trace_add(Trace *t, const char *s) {
        const uint8_t key[16] = { 0 };
        uint64_t h[2] = { t->hash, siphash24(s ?: "(null)", strlen(s ?: "(null)") + 1, key) };

        t->hash = siphash24(h, sizeof h, key);
}

static int callback(const char *unit, const char *filename, unsigned line, const char *section,
                    unsigned section_line, const char *key, const char *value, void *userdata) {
        Trace *t = userdata;
        char buf[32];

        check(filename && key && value, "NULL filename, key or value");
        check(line > 0 && line >= t->last_line, "line numbers go backwards");
        check(*key && stripped(key) && stripped(value), "key empty or not stripped");
        check(!strchr(key, '=') && !startswith(key, "X-"), "bad key delivered");
        check(utf8_is_valid(key) && utf8_is_valid(value), "invalid UTF-8 delivered");
        if (section) {
                check(section_line > 0 && section_line <= line, "section_line out of range");
                check(!startswith(section, "X-"), "X- section delivered");
                if (t->sections) {
                        bool listed = false;
                        for (const char *const *s = t->sections; *s; s++)
                                listed = listed || streq(*s, section);
                        check(listed, "unknown section delivered");
                }
        } else
                check(!t->sections && section_line == 0,
                      "assignment outside of a section delivered");

        t->last_line = line;
        t->calls++;
        snprintf(buf, sizeof buf, "%u:%u", line, section_line);
        trace_add(t, buf);
        trace_add(t, section);
        trace_add(t, key);
        trace_add(t, value);

        /* Exercise the other answers too: unknown keys get a warning, "Stop" ends the parse. */
        if (streq(key, "Stop"))
                return -ECANCELED;
        if (key[0] == 'B')
                return CONFIG_KEY_UNKNOWN;
        return 0;
}

static void discard_log(int level, const char *message, void *userdata) {
        check(message != NULL, "NULL log message");
}

static int parse_buffer(const uint8_t *data, size_t size, const char *const *sections,
                        ConfigParseFlags flags, Trace *t) {
        *t = (Trace){ .sections = sections };
        return config_parse_buffer("fuzz.service", "fuzz.service", (const char *) data, size,
                                   sections, callback, flags, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Trace a, b, c;
        int r, q;
        FILE *f;

        /* Format every message (debug level included) without printing it. */
        log_set_max_level(LOG_DEBUG);
        log_set_sink(discard_log, NULL);

        r = parse_buffer(data, size, unit_sections, CONFIG_PARSE_WARN, &a);
        check(r == 0 || IN_SET(r, -EBADMSG, -EINVAL, -ENOBUFS, -ECANCELED), "unexpected error");

        q = parse_buffer(data, size, NULL, 0, &b);
        check(q == 0 || IN_SET(q, -EBADMSG, -EINVAL, -ENOBUFS, -ECANCELED), "unexpected error");

        /* The FILE path must agree with the buffer path. */
        if (size > 0) {
                f = fmemopen((void *) data, size, "r");
                if (f) {
                        c = (Trace){ .sections = unit_sections };
                        q = config_parse_file("fuzz.service", "fuzz.service", f, unit_sections,
                                              callback, CONFIG_PARSE_WARN, &c);
                        fclose(f);
                        check(q == r, "FILE and buffer parses return different results");
                        check(c.calls == a.calls && c.hash == a.hash,
                              "FILE and buffer parses deliver different assignments");
                }
        }

        log_set_sink(NULL, NULL);
        return 0;
}
