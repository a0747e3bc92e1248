/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * env-util.c: environment blocks, the environment-file reader (EnvironmentFile=, os-release,
 * machine-info) and Exec*= variable expansion, reproducing systemd 252's behaviour (see
 * systemd.exec(5) and docs spec §8.5, §9).
 */

#include <assert.h>
#include <limits.h>
#include <unistd.h>

#include "env-util.h"
#include "escape.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"

#define ENV_NAME_CHARS DIGITS LETTERS "_"
/* EnvironmentFile= files larger than this are refused (systemd's limit for whole-file reads). */
#define ENV_FILE_SIZE_MAX ((size_t) 64 * 1024 * 1024 - 1)

/* sysconf(_SC_ARG_MAX) is a getrlimit(RLIMIT_STACK) system call each time: asked once per
 * process (the exec helper validates every variable of a service's environment). */
static size_t arg_max(void) {
        static size_t cached;

        if (cached == 0) {
                long l = sysconf(_SC_ARG_MAX);

                /* POSIX guarantees at least _POSIX_ARG_MAX. */
                cached = l > _POSIX_ARG_MAX ? (size_t) l : (size_t) _POSIX_ARG_MAX;
        }
        return cached;
}

static bool env_name_is_valid_n(const char *e, size_t n) {
        if (!e || n == 0)
                return false;
        if (e[0] >= '0' && e[0] <= '9')
                return false;
        /* The whole block may not exceed ARG_MAX; minus '=' and the NUL this bounds the name. */
        if (n > arg_max() - 2)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!e[i] || !strchr(ENV_NAME_CHARS, e[i]))
                        return false;
        return true;
}

bool env_name_is_valid(const char *e) {
        return e && env_name_is_valid_n(e, strlen(e));
}

bool env_value_is_valid(const char *e) {
        if (!e)
                return false;
        if (!utf8_is_valid(e))
                return false;
        /* Control characters are allowed in values; only the size is bounded. */
        return strlen(e) <= arg_max() - 3;
}

bool env_assignment_is_valid(const char *e) {
        const char *eq;

        if (!e)
                return false;
        eq = strchr(e, '=');
        if (!eq)
                return false;
        if (!env_name_is_valid_n(e, (size_t) (eq - e)))
                return false;
        if (!env_value_is_valid(eq + 1))
                return false;
        return strlen(e) <= arg_max() - 1;
}

/* Length of the name part of an entry ("NAME=value" or a bare "NAME"). */
static size_t entry_name_len(const char *entry) {
        return strcspn(entry, "=");
}

/* Whether entry assigns exactly the name given by its first n bytes. */
static bool entry_has_name(const char *entry, const char *name, size_t n) {
        return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

bool strv_env_is_valid(char *const *l) {
        for (char *const *p = l; p && *p; p++) {
                if (!env_assignment_is_valid(*p))
                        return false;
                for (char *const *q = p + 1; *q; q++)
                        if (entry_has_name(*q, *p, entry_name_len(*p)))
                                return false;
        }
        return true;
}

char *strv_env_get_n(char *const *l, const char *name, size_t n) {
        size_t len = strv_length(l);

        assert(name);

        if (n == 0)
                return NULL;
        for (size_t i = len; i > 0; i--)
                if (entry_has_name(l[i - 1], name, n))
                        return l[i - 1] + n + 1;
        return NULL;
}

char *strv_env_get(char *const *l, const char *name) {
        assert(name);
        return strv_env_get_n(l, name, strlen(name));
}

/* Removes, in place, every entry from `from` on that assigns the first n bytes of name. */
static void strv_env_drop_name(char **from, const char *name, size_t n) {
        char **t = from;

        for (char **f = from; *f; f++) {
                if (entry_has_name(*f, name, n)) {
                        free(*f);
                        continue;
                }
                *t++ = *f;
        }
        *t = NULL;
}

char **strv_env_unset(char **l, const char *name) {
        char **t = l;

        assert(name);

        if (!l)
                return NULL;
        for (char **f = l; *f; f++) {
                bool match = strchr(name, '=') ? streq(*f, name)
                                               : entry_has_name(*f, name, strlen(name));
                if (match) {
                        free(*f);
                        continue;
                }
                *t++ = *f;
        }
        *t = NULL;
        return l;
}

int strv_env_replace_consume(char ***l, char *assignment) {
        size_t n;
        int r;

        assert(l);
        assert(assignment);

        if (!strchr(assignment, '=')) {
                free(assignment);
                return -EINVAL;
        }
        n = entry_name_len(assignment);

        for (char **f = *l; f && *f; f++)
                if (entry_has_name(*f, assignment, n)) {
                        free(*f);
                        *f = assignment;
                        strv_env_drop_name(f + 1, assignment, n);
                        return 0;
                }

        r = strv_consume(l, assignment);
        if (r < 0)
                return r;
        return 1;
}

int strv_env_replace_strdup(char ***l, const char *assignment) {
        char *p = strdup(assignment);

        if (!p)
                return -ENOMEM;
        return strv_env_replace_consume(l, p);
}

int strv_env_assign(char ***l, const char *name, const char *value) {
        char *p;

        assert(l);

        if (!env_name_is_valid(name))
                return -EINVAL;
        if (!value) {
                strv_env_unset(*l, name);
                return 0;
        }
        p = strjoin(name, "=", value);
        if (!p)
                return -ENOMEM;
        return strv_env_replace_consume(l, p);
}

int strv_env_merge(char ***dst, char *const *src) {
        assert(dst);

        for (char *const *a = src; a && *a; a++) {
                size_t n = entry_name_len(*a);
                char *c = strdup(*a);
                char **f;

                if (!c)
                        return -ENOMEM;
                /* Unlike replace_consume(), later duplicates already in *dst are left alone. */
                for (f = *dst; f && *f; f++)
                        if (strncmp(*f, *a, n) == 0 && (*f)[n] == (*a)[n])
                                break;
                if (f && *f) {
                        free(*f);
                        *f = c;
                } else if (strv_consume(dst, c) < 0)
                        return -ENOMEM;
        }
        return 0;
}

char **strv_env_clean_with_callback(char **l, void (*invalid)(const char *entry, void *userdata),
                                    void *userdata) {
        char **t = l;

        if (!l)
                return NULL;

        for (char **p = l; *p; p++) {
                bool duplicate = false;

                if (!env_assignment_is_valid(*p)) {
                        if (invalid)
                                invalid(*p, userdata);
                        free(*p);
                        continue;
                }
                /* Keep only the last assignment of a name. */
                for (char **q = p + 1; *q; q++)
                        if (entry_has_name(*q, *p, entry_name_len(*p))) {
                                duplicate = true;
                                break;
                        }
                if (duplicate) {
                        free(*p);
                        continue;
                }
                *t++ = *p;
        }
        *t = NULL;
        return l;
}

/* ---- ${NAME} expansion ---- */

/* Appends n bytes of s to *r (which may be NULL). */
static int append_n(char **r, const char *s, size_t n) {
        size_t l = *r ? strlen(*r) : 0;
        char *q;

        q = realloc(*r, l + n + 1);
        if (!q)
                return -ENOMEM;
        memcpy(q + l, s, n);
        q[l + n] = 0;
        *r = q;
        return 0;
}

char *replace_env(const char *format, char *const *env) {
        enum { WORD, DOLLAR, VARIABLE } state = WORD;
        _cleanup_free_ char *r = NULL;
        const char *word = format, *e;

        assert(format);

        /* word marks the start of text not yet copied to r. */
        for (e = format; *e; e++)
                switch (state) {
                case WORD:
                        if (*e == '$')
                                state = DOLLAR;
                        break;

                case DOLLAR:
                        if (*e == '{') {
                                if (append_n(&r, word, (size_t) (e - word - 1)) < 0)
                                        return NULL;
                                word = e - 1;
                                state = VARIABLE;
                        } else if (*e == '$') {
                                /* "$$": copy through the first '$', skip the second. */
                                if (append_n(&r, word, (size_t) (e - word)) < 0)
                                        return NULL;
                                word = e + 1;
                                state = WORD;
                        } else
                                state = WORD;
                        break;

                case VARIABLE:
                        if (*e == '}') {
                                const char *v = strv_env_get_n(env, word + 2, (size_t) (e - word - 2));

                                if (v && append_n(&r, v, strlen(v)) < 0)
                                        return NULL;
                                word = e + 1;
                                state = WORD;
                        } else if (*e == ':')
                                /* ${NAME:-…} and ${NAME:+…} are not supported: leave as written. */
                                state = WORD;
                        break;
                }

        if (append_n(&r, word, (size_t) (e - word)) < 0)
                return NULL;
        return TAKE_PTR(r);
}

/* Whether an Exec*= argument is a whole-word "$NAME" reference. */
static bool arg_is_variable_word(const char *a) {
        return a[0] == '$' && a[1] != '{' && a[1] != '$';
}

int replace_env_argv(char **argv, char **env, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        assert(ret);

        l = new0(char *, 1);
        if (!l)
                return -ENOMEM;

        for (char **a = argv; a && *a; a++) {
                if (arg_is_variable_word(*a)) {
                        _cleanup_strv_free_ char **words = NULL;
                        const char *v = strv_env_get(env, *a + 1);

                        /* Unset: the argument disappears. Set: zero or more words. */
                        if (!v)
                                continue;
                        r = strv_split_full(v, WHITESPACE, EXTRACT_RELAX | EXTRACT_UNQUOTE, &words);
                        if (r < 0)
                                return r;
                        r = strv_extend_strv(&l, words, false);
                        if (r < 0)
                                return r;
                        continue;
                }

                r = strv_consume(&l, replace_env(*a, env));
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(l);
        return 0;
}

/* ---- EnvironmentFile= ---- */

typedef enum EnvFileState {
        ENV_PRE_KEY,
        ENV_KEY,
        ENV_PRE_VALUE,
        ENV_VALUE,
        ENV_VALUE_ESCAPE,
        ENV_SINGLE_QUOTE,
        ENV_DOUBLE_QUOTE,
        ENV_DOUBLE_QUOTE_ESCAPE,
        ENV_COMMENT,
        ENV_COMMENT_ESCAPE,
} EnvFileState;

typedef struct EnvFileParser {
        const char *fname;
        EnvFileFlags flags;
        unsigned line, key_line;
        char *key, *value;
        size_t n_key, n_value, alloc_key, alloc_value;
        /* Where trailing whitespace of key/value begins, SIZE_MAX if none. */
        size_t key_ws, value_ws;
        char **env;
} EnvFileParser;

static int env_parser_put(char **buf, size_t *n, size_t *alloc, char c) {
        if (!GREEDY_REALLOC(*buf, *alloc, *n + 2))
                return -ENOMEM;
        (*buf)[(*n)++] = c;
        (*buf)[*n] = 0;
        return 0;
}

static int env_parser_key(EnvFileParser *p, char c) {
        if (!strchr(WHITESPACE, c))
                p->key_ws = SIZE_MAX;
        else if (p->key_ws == SIZE_MAX)
                p->key_ws = p->n_key;
        return env_parser_put(&p->key, &p->n_key, &p->alloc_key, c);
}

static int env_parser_value(EnvFileParser *p, char c) {
        return env_parser_put(&p->value, &p->n_value, &p->alloc_value, c);
}

/* Completes one assignment; trim_value says whether trailing blanks of an unquoted value go. */
static int env_parser_push(EnvFileParser *p, bool trim_value) {
        _cleanup_free_ char *assignment = NULL;
        const char *key, *value;
        int r;

        if (p->key_ws != SIZE_MAX)
                p->n_key = p->key_ws;
        if (trim_value && p->value_ws != SIZE_MAX)
                p->n_value = p->value_ws;
        if (p->key)
                p->key[p->n_key] = 0;
        if (p->value)
                p->value[p->n_value] = 0;
        key = strempty(p->key);
        value = strempty(p->value);

        if (!utf8_is_valid(key) || !utf8_is_valid(value))
                return log_debug_errno(-EINVAL, "%s:%u: invalid UTF-8 in environment file, refusing.",
                                       strna(p->fname), p->key_line);

        assignment = strjoin(key, "=", value);
        if (!assignment)
                return -ENOMEM;

        if ((p->flags & ENV_FILE_DROP_INVALID) && !env_assignment_is_valid(assignment))
                log_debug("%s:%u: Ignoring invalid environment assignment '%s'.",
                          strna(p->fname), p->key_line, assignment);
        else {
                r = strv_env_replace_consume(&p->env, TAKE_PTR(assignment));
                if (r < 0)
                        return r;
        }

        p->n_key = p->n_value = 0;
        return 0;
}

static bool is_newline(char c) {
        return c == '\n' || c == '\r';
}

/* Before and inside a key, and in comments. Returns the new state or a negative errno. */
static int env_feed_key(EnvFileParser *p, EnvFileState state, char c) {
        int r;

        switch (state) {
        case ENV_PRE_KEY:
                if (c == '#' || c == ';')
                        return ENV_COMMENT;
                if (strchr(WHITESPACE, c))
                        return ENV_PRE_KEY;
                p->key_ws = SIZE_MAX;
                p->key_line = p->line;
                r = env_parser_key(p, c);
                return r < 0 ? r : ENV_KEY;

        case ENV_KEY:
                if (is_newline(c)) { /* no '=': not an assignment */
                        p->n_key = 0;
                        return ENV_PRE_KEY;
                }
                if (c == '=') {
                        p->value_ws = SIZE_MAX;
                        return ENV_PRE_VALUE;
                }
                r = env_parser_key(p, c);
                return r < 0 ? r : ENV_KEY;

        case ENV_COMMENT:
                if (c == '\\')
                        return ENV_COMMENT_ESCAPE;
                return is_newline(c) ? ENV_PRE_KEY : ENV_COMMENT;

        default: /* ENV_COMMENT_ESCAPE: a backslash continues a comment even over a newline */
                return ENV_COMMENT;
        }
}

/* After '=' outside quotes. */
static int env_feed_value(EnvFileParser *p, EnvFileState state, char c) {
        int r;

        switch (state) {
        case ENV_PRE_VALUE:
                if (is_newline(c)) {
                        r = env_parser_push(p, false);
                        return r < 0 ? r : ENV_PRE_KEY;
                }
                if (c == '\'')
                        return ENV_SINGLE_QUOTE;
                if (c == '"')
                        return ENV_DOUBLE_QUOTE;
                if (c == '\\')
                        return ENV_VALUE_ESCAPE;
                if (strchr(WHITESPACE, c))
                        return ENV_PRE_VALUE;
                r = env_parser_value(p, c);
                return r < 0 ? r : ENV_VALUE;

        case ENV_VALUE:
                if (is_newline(c)) {
                        r = env_parser_push(p, true);
                        return r < 0 ? r : ENV_PRE_KEY;
                }
                if (c == '\\') {
                        p->value_ws = SIZE_MAX;
                        return ENV_VALUE_ESCAPE;
                }
                if (!strchr(WHITESPACE, c))
                        p->value_ws = SIZE_MAX;
                else if (p->value_ws == SIZE_MAX)
                        p->value_ws = p->n_value;
                r = env_parser_value(p, c);
                return r < 0 ? r : ENV_VALUE;

        default: /* ENV_VALUE_ESCAPE: an escaped newline joins lines, anything else is literal */
                r = is_newline(c) ? 0 : env_parser_value(p, c);
                return r < 0 ? r : ENV_VALUE;
        }
}

/* Inside '…' or "…". */
static int env_feed_quoted(EnvFileParser *p, EnvFileState state, char c) {
        int r = 0;

        switch (state) {
        case ENV_SINGLE_QUOTE:
                if (c == '\'')
                        return ENV_PRE_VALUE;
                r = env_parser_value(p, c);
                return r < 0 ? r : ENV_SINGLE_QUOTE;

        case ENV_DOUBLE_QUOTE:
                if (c == '"')
                        return ENV_PRE_VALUE;
                if (c == '\\')
                        return ENV_DOUBLE_QUOTE_ESCAPE;
                r = env_parser_value(p, c);
                return r < 0 ? r : ENV_DOUBLE_QUOTE;

        default: /* ENV_DOUBLE_QUOTE_ESCAPE */
                /* As in a shell: \" \\ \` \$ lose the backslash, \<newline> vanishes, any other
                 * pair is kept as written. */
                if (strchr(SHELL_NEED_ESCAPE, c))
                        r = env_parser_value(p, c);
                else if (c != '\n') {
                        r = env_parser_value(p, '\\');
                        if (r >= 0)
                                r = env_parser_value(p, c);
                }
                return r < 0 ? r : ENV_DOUBLE_QUOTE;
        }
}

/* Feeds one character; returns the new state or a negative errno. */
static int env_parser_feed(EnvFileParser *p, EnvFileState state, char c) {
        switch (state) {
        case ENV_PRE_KEY:
        case ENV_KEY:
        case ENV_COMMENT:
        case ENV_COMMENT_ESCAPE:
                return env_feed_key(p, state, c);
        case ENV_PRE_VALUE:
        case ENV_VALUE:
        case ENV_VALUE_ESCAPE:
                return env_feed_value(p, state, c);
        case ENV_SINGLE_QUOTE:
        case ENV_DOUBLE_QUOTE:
        case ENV_DOUBLE_QUOTE_ESCAPE:
                return env_feed_quoted(p, state, c);
        }
        return -EINVAL;
}

static int env_parse_text(EnvFileParser *p, const char *text) {
        EnvFileState state = ENV_PRE_KEY;
        int r;

        p->line = 1;
        for (const char *c = text; *c; c++) {
                r = env_parser_feed(p, state, *c);
                if (r < 0)
                        return r;
                state = (EnvFileState) r;
                if (*c == '\n')
                        p->line++;
        }

        /* An assignment still open at the end (even inside quotes) is taken as it stands. */
        switch (state) {
        case ENV_PRE_VALUE:
        case ENV_VALUE_ESCAPE:
        case ENV_SINGLE_QUOTE:
        case ENV_DOUBLE_QUOTE:
        case ENV_DOUBLE_QUOTE_ESCAPE:
                return env_parser_push(p, false);
        case ENV_VALUE:
                return env_parser_push(p, true);
        default:
                return 0;
        }
}

static int read_stream(FILE *f, char **ret) {
        _cleanup_free_ char *buf = NULL;
        size_t n = 0, alloc = 0;

        for (;;) {
                size_t k;

                if (!GREEDY_REALLOC(buf, alloc, n + 4096 + 1))
                        return -ENOMEM;
                k = fread(buf + n, 1, alloc - n - 1, f);
                n += k;
                if (n > ENV_FILE_SIZE_MAX)
                        return -E2BIG;
                if (k == 0)
                        break;
        }
        if (ferror(f))
                return -EIO;
        buf[n] = 0;
        *ret = TAKE_PTR(buf);
        return 0;
}

int load_env_file_full(FILE *f, const char *fname, EnvFileFlags flags, char ***ret) {
        _cleanup_free_ char *text = NULL;
        EnvFileParser p = { .fname = fname, .flags = flags };
        int r;

        assert(f || fname);
        assert(ret);

        if (f)
                r = read_stream(f, &text);
        else
                r = read_full_file(fname, ENV_FILE_SIZE_MAX, &text, NULL);
        if (r < 0)
                return r;

        r = env_parse_text(&p, text);
        free(p.key);
        free(p.value);
        if (r < 0) {
                strv_free(p.env);
                return r;
        }

        *ret = p.env;
        return 0;
}
