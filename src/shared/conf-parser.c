/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf-parser.c: reads a configuration file line by line (from a FILE or a memory buffer),
 * joins continuations, skips comments, tracks the current section and hands every assignment
 * to the caller's callback. The state of one parse lives in a ConfigParser on the stack; the
 * only heap memory is the line buffer, the continuation buffer and the current section name,
 * all freed before config_parse_*() returns.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf-parser.h"
#include "escape.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "string-util.h"

#define UTF8_BOM "\xef\xbb\xbf"
#define UTF8_REPLACEMENT "\xef\xbf\xbd"
#define COMMENT_CHARS "#;"

/* Where lines come from: a stream, or a buffer when f is NULL. */
typedef struct LineSource {
        FILE *f;
        const char *data;
        size_t size;
        size_t pos;
} LineSource;

typedef struct ConfigParser {
        const char *unit;
        const char *filename;
        const char *const *sections;
        ConfigAssignmentCallback callback;
        ConfigParseFlags flags;
        void *userdata;

        unsigned line;
        bool bom_seen;

        /* The current section; NULL before the first header and inside a skipped section. */
        char *section;
        unsigned section_line;
        bool section_skipped;

        /* The physical line being read. */
        char *buf;
        size_t buf_allocated;

        /* The continuation being joined, valid while in_continuation. */
        char *cont;
        size_t cont_len;
        size_t cont_allocated;
        bool in_continuation;
} ConfigParser;

/* Line terminators, as bits so that a run like "\r\n" is recognised as one end of line. */
enum {
        EOL_NUL = 1 << 0,
        EOL_LF = 1 << 1,
        EOL_CR = 1 << 2,
};

static int parser_level(const ConfigParser *p, int level) {
        return (p->flags & CONFIG_PARSE_WARN) ? level : LOG_DEBUG;
}

/* Stores the next byte in *ret and returns 1, or returns 0 at the end, or a negative errno. */
static int source_getc(LineSource *s, char *ret) {
        int c;

        if (!s->f) {
                if (s->pos >= s->size)
                        return 0;
                *ret = s->data[s->pos++];
                return 1;
        }

        errno = 0;
        c = getc_unlocked(s->f);
        if (c == EOF) {
                if (ferror(s->f))
                        return errno > 0 ? -errno : -EIO;
                return 0;
        }
        *ret = (char) c;
        return 1;
}

static void source_ungetc(LineSource *s, char c) {
        if (!s->f)
                s->pos--;
        else
                (void) ungetc((unsigned char) c, s->f);
}

static unsigned eol_kind(char c) {
        switch (c) {
        case '\0':
                return EOL_NUL;
        case '\n':
                return EOL_LF;
        case '\r':
                return EOL_CR;
        default:
                return 0;
        }
}

/* For a buffer source: how many bytes from the current position, at most max, hold no line
 * terminator. */
static size_t source_span(const LineSource *s, size_t max) {
        size_t k = 0, avail = MIN(s->size - s->pos, max);

        while (k < avail && eol_kind(s->data[s->pos + k]) == 0)
                k++;
        return k;
}

/* Reads one line into p->buf (NUL-terminated, without its terminator). A terminator is a run of
 * '\n', '\r' and '\0' in which each appears at most once and '\0' comes last, so "\r\n" is one
 * end of line and "\n\n" two. As systemd does, a line of CONFIG_LINE_MAX bytes is refused even
 * when its end follows. Returns 1 for a line, 0 at the end of input, or a negative errno. */
static int parser_read_line(ConfigParser *p, LineSource *s) {
        unsigned seen_eol = 0;
        bool any = false;
        size_t n = 0;

        if (!GREEDY_REALLOC(p->buf, p->buf_allocated, 1))
                return -ENOMEM;

        for (;;) {
                unsigned eol;
                char c;
                int r;

                if (n >= CONFIG_LINE_MAX)
                        return -ENOBUFS;

                /* Fast path for buffers: take the whole run of ordinary bytes at once. */
                if (!s->f && seen_eol == 0) {
                        size_t k = source_span(s, CONFIG_LINE_MAX - n);

                        if (k > 0) {
                                if (!GREEDY_REALLOC(p->buf, p->buf_allocated, n + k + 1))
                                        return -ENOMEM;
                                memcpy(p->buf + n, s->data + s->pos, k);
                                s->pos += k;
                                n += k;
                                any = true;
                                continue;
                        }
                }

                r = source_getc(s, &c);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;

                eol = eol_kind(c);
                if ((seen_eol & EOL_NUL) || (eol == 0 && seen_eol != 0) || (eol & seen_eol)) {
                        source_ungetc(s, c);
                        break;
                }
                any = true;

                if (eol != 0) {
                        seen_eol |= eol;
                        continue;
                }

                if (n + 2 > p->buf_allocated && !GREEDY_REALLOC(p->buf, p->buf_allocated, n + 2))
                        return -ENOMEM;
                p->buf[n++] = c;
        }

        p->buf[n] = 0;
        return any;
}

/* A copy of s with every byte that does not start a valid character replaced by U+FFFD. */
static char *config_utf8_escape_invalid(const char *s) {
        size_t n = strlen(s);
        char *ret, *q;

        ret = q = malloc(n * 3 + 1); /* n < CONFIG_LINE_MAX: no overflow */
        if (!ret)
                return NULL;

        while (n > 0) {
                int k = utf8_encoded_valid_unichar(s, n);
                if (k < 0) {
                        q = mempcpy(q, UTF8_REPLACEMENT, STRLEN(UTF8_REPLACEMENT));
                        k = 1;
                } else
                        q = mempcpy(q, s, (size_t) k);
                s += k;
                n -= (size_t) k;
        }
        *q = 0;
        return ret;
}

static int parser_invalid_utf8(ConfigParser *p, const char *l) {
        _cleanup_free_ char *escaped = NULL;
        int level = parser_level(p, LOG_WARNING);

        /* Building the escaped copy costs up to 3 bytes per input byte: only when it is shown. */
        if (level <= log_get_max_level())
                escaped = config_utf8_escape_invalid(l);

        return log_syntax(p->unit, level, p->filename, p->line, -EINVAL,
                          "String is not UTF-8 clean, ignoring assignment: %s", strna(escaped));
}

/* systemd's rule for section names: no control characters, quotes, backslashes or DEL. */
static bool section_name_is_safe(const char *name) {
        for (const unsigned char *t = (const unsigned char *) name; *t; t++)
                if (*t < ' ' || *t == 0x7f || strchr("\"'\\", *t))
                        return false;
        return true;
}

static bool section_is_listed(const char *const *sections, const char *name, bool *ret_silent) {
        *ret_silent = false;
        for (const char *const *s = sections; *s; s++) {
                if (streq(*s, name))
                        return true;
                if (streq_ptr(startswith(*s, "-"), name))
                        *ret_silent = true;
        }
        return false;
}

static void parser_skip_section(ConfigParser *p) {
        p->section = mfree(p->section);
        p->section_line = 0;
        p->section_skipped = true;
}

/* l is a stripped line starting with '['. */
static int parser_section_header(ConfigParser *p, char *l) {
        size_t k = strlen(l);
        bool silent = false;
        char *name;

        if (l[k - 1] != ']')
                return log_syntax(p->unit, parser_level(p, LOG_ERR), p->filename, p->line, -EBADMSG,
                                  "Invalid section header '%s'", l);

        l[k - 1] = 0;
        name = l + 1;
        if (!section_name_is_safe(name))
                return log_syntax(p->unit, parser_level(p, LOG_ERR), p->filename, p->line, -EBADMSG,
                                  "Bad characters in section header '[%s]'", name);

        if (startswith(name, "X-")) {
                parser_skip_section(p);
                return 0;
        }

        if (p->sections && !section_is_listed(p->sections, name, &silent)) {
                if (!silent)
                        log_syntax(p->unit, parser_level(p, LOG_WARNING), p->filename, p->line, 0,
                                   "Unknown section '%s'. Ignoring.", name);
                parser_skip_section(p);
                return 0;
        }

        if (free_and_strdup(&p->section, name) < 0)
                return -ENOMEM;
        p->section_line = p->line;
        p->section_skipped = false;
        return 0;
}

static int parser_assignment(ConfigParser *p, const char *key, const char *value) {
        int r;

        if (startswith(key, "X-"))
                return 0;

        r = p->callback(p->unit, p->filename, p->line, p->section, p->section_line, key, value,
                        p->userdata);
        if (r < 0)
                return r;
        if (r == CONFIG_KEY_UNKNOWN)
                log_syntax(p->unit, parser_level(p, LOG_WARNING), p->filename, p->line, 0,
                           "Unknown key '%s'%s%s%s, ignoring.", key,
                           p->section ? " in section [" : "", strempty(p->section),
                           p->section ? "]" : "");
        return 0;
}

/* Parses one logical line (comments and continuations already handled); l is modified. */
static int parser_line(ConfigParser *p, char *l) {
        char *e;

        l = strstrip(l);
        if (isempty(l))
                return 0;

        if (!utf8_is_valid(l))
                return parser_invalid_utf8(p, l);

        if (l[0] == '[')
                return parser_section_header(p, l);

        if (!p->section) {
                if (p->section_skipped)
                        return 0;
                if (p->sections) {
                        log_syntax(p->unit, parser_level(p, LOG_WARNING), p->filename, p->line, 0,
                                   "Assignment outside of section. Ignoring.");
                        return 0;
                }
        }

        e = strchr(l, '=');
        if (!e) {
                log_syntax(p->unit, parser_level(p, LOG_WARNING), p->filename, p->line, 0,
                           "Missing '=', ignoring line.");
                return 0;
        }
        if (e == l) {
                log_syntax(p->unit, parser_level(p, LOG_WARNING), p->filename, p->line, 0,
                           "Missing key name before '=', ignoring line.");
                return 0;
        }

        *e = 0;
        return parser_assignment(p, strstrip(l), strstrip(e + 1));
}

static bool ends_in_odd_backslashes(const char *s, size_t n) {
        size_t k = 0;

        while (k < n && s[n - 1 - k] == '\\')
                k++;
        return k % 2 == 1;
}

/* Adds the physical line l to the continuation, or starts one. Returns 1 if the logical line
 * goes on (its last backslash already turned into a space), 0 if it is complete, or -ENOBUFS,
 * -ENOMEM. */
static int parser_join(ConfigParser *p, char *l) {
        size_t n = strlen(l);
        char *part;

        if (!p->in_continuation) {
                if (!ends_in_odd_backslashes(l, n))
                        return 0;
                l[n - 1] = ' ';
                p->cont_len = 0;
        } else if (p->cont_len + n > CONFIG_LINE_MAX) {
                log_full_errno(parser_level(p, LOG_ERR), -ENOBUFS,
                               "%s:%u: Continuation line too long", p->filename, p->line);
                return -ENOBUFS;
        }

        if (!GREEDY_REALLOC(p->cont, p->cont_allocated, p->cont_len + n + 1))
                return -ENOMEM;
        part = memcpy(p->cont + p->cont_len, l, n + 1);
        p->cont_len += n;

        if (!p->in_continuation) {
                p->in_continuation = true;
                return 1;
        }
        if (!ends_in_odd_backslashes(part, n))
                return 0;
        part[n - 1] = ' ';
        return 1;
}

static int parser_finish_line(ConfigParser *p, char *l) {
        int r;

        r = parser_line(p, l);
        if (r < 0)
                return log_full_errno(parser_level(p, LOG_WARNING), r,
                                      "%s:%u: Failed to parse file: %m", p->filename, p->line);
        p->in_continuation = false;
        p->cont_len = 0;
        return 0;
}

static int parser_read_error(ConfigParser *p, int r) {
        if (r == -ENOBUFS)
                return log_full_errno(parser_level(p, LOG_ERR), r, "%s:%u: Line too long",
                                      p->filename, p->line + 1);
        return log_full_errno(parser_level(p, LOG_ERR), r,
                              "%s:%u: Error while reading configuration file: %m", p->filename,
                              p->line + 1);
}

static int parser_run(ConfigParser *p, LineSource *s) {
        int r;

        for (;;) {
                char *l;

                r = parser_read_line(p, s);
                if (r < 0)
                        return parser_read_error(p, r);
                if (r == 0)
                        break;
                p->line++;

                /* Comments are recognised before the BOM is removed, as systemd does. */
                l = p->buf + strspn(p->buf, WHITESPACE);
                if (*l && strchr(COMMENT_CHARS, *l))
                        continue;

                l = p->buf;
                if (!p->bom_seen && startswith(l, UTF8_BOM)) {
                        l += STRLEN(UTF8_BOM);
                        p->bom_seen = true;
                }

                r = parser_join(p, l);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;

                r = parser_finish_line(p, p->in_continuation ? p->cont : l);
                if (r < 0)
                        return r;
        }

        /* An open continuation is parsed as it stands; systemd reports it one line further. */
        if (p->in_continuation) {
                p->line++;
                return parser_finish_line(p, p->cont);
        }
        return 0;
}

static int config_parse_source(const char *unit, const char *filename, LineSource *s,
                               const char *const *sections, ConfigAssignmentCallback callback,
                               ConfigParseFlags flags, void *userdata) {
        ConfigParser p = {
                .unit = unit,
                .filename = filename,
                .sections = sections,
                .callback = callback,
                .flags = flags,
                .userdata = userdata,
        };
        int r;

        r = parser_run(&p, s);

        free(p.section);
        free(p.buf);
        free(p.cont);
        return r;
}

static void warn_permissions(const char *filename, int fd, ConfigParseFlags flags) {
        int level = (flags & CONFIG_PARSE_WARN) ? LOG_WARNING : LOG_DEBUG;
        struct stat st;

        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return;
        if (st.st_mode & 0111)
                log_full(level,
                         "Configuration file %s is marked executable. Please remove "
                         "executable permission bits. Proceeding anyway.",
                         filename);
        if (st.st_mode & 0002)
                log_full(level,
                         "Configuration file %s is marked world-writable. Please remove "
                         "world writability permission bits. Proceeding anyway.",
                         filename);
        if (getpid() == 1 && (st.st_mode & 0044) != 0044)
                log_full(level,
                         "Configuration file %s is marked world-inaccessible. This has no "
                         "effect as configuration data is accessible via APIs without "
                         "restrictions. Proceeding anyway.",
                         filename);
}

int config_parse_file(const char *unit, const char *filename, FILE *f, const char *const *sections,
                      ConfigAssignmentCallback callback, ConfigParseFlags flags, void *userdata) {
        _cleanup_fclose_ FILE *ours = NULL;
        LineSource s = {};

        if (!filename || !callback)
                return -EINVAL;

        if (!f) {
                f = ours = fopen(filename, "re");
                if (!f) {
                        int r = negative_errno();

                        return log_full_errno(
                                (flags & CONFIG_PARSE_WARN) && r != -ENOENT ? LOG_ERR : LOG_DEBUG,
                                r, "Failed to open configuration file '%s': %m", filename);
                }
        }

        warn_permissions(filename, fileno(f), flags);

        s.f = f;
        return config_parse_source(unit, filename, &s, sections, callback, flags, userdata);
}

int config_parse_buffer(const char *unit, const char *filename, const char *data, size_t size,
                        const char *const *sections, ConfigAssignmentCallback callback,
                        ConfigParseFlags flags, void *userdata) {
        LineSource s = {
                .data = data,
                .size = size,
        };

        if (!filename || !callback || (!data && size > 0))
                return -EINVAL;

        return config_parse_source(unit, filename, &s, sections, callback, flags, userdata);
}
