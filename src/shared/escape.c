/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escape.c: C escapes, word extraction and shell quoting. The behaviour (which escapes exist,
 * when NUL is refused, how quotes and separators interact) follows systemd 252 exactly because
 * unit files written for systemd must split into the same words here.
 */

#include <assert.h>

#include "escape.h"
#include "fd-util.h"
#include "string-util.h"
#include "strv.h"

static int unoctchar(char c) {
        return c >= '0' && c <= '7' ? c - '0' : -EINVAL;
}

/* Reads the n hex digits after an escape letter at p (length bytes available at p) into *ret;
 * -EINVAL if they are missing or not all hex digits, or if they encode NUL and !accept_nul. */
static int read_hex_escape(const char *p, size_t length, size_t n, bool accept_nul, uint32_t *ret) {
        uint32_t v = 0;

        if (length < n + 1)
                return -EINVAL;
        for (size_t i = 1; i <= n; i++) {
                int d = unhexchar(p[i]);
                if (d < 0)
                        return -EINVAL;
                v = (v << 4) | (uint32_t) d;
        }
        if (v == 0 && !accept_nul)
                return -EINVAL;
        *ret = v;
        return 0;
}

static int simple_escape(char c) {
        switch (c) {
        case 'a': return '\a';
        case 'b': return '\b';
        case 'f': return '\f';
        case 'n': return '\n';
        case 'r': return '\r';
        case 't': return '\t';
        case 'v': return '\v';
        case '\\': return '\\';
        case '"': return '"';
        case '\'': return '\'';
        case 's': return ' ';
        default: return -1;
        }
}

int cunescape_one(const char *p, size_t length, uint32_t *ret, bool *eight_bit, bool accept_nul) {
        uint32_t v;
        int k;

        assert(p);
        assert(ret);
        assert(eight_bit);

        if (length == 0)
                return -EINVAL;

        k = simple_escape(p[0]);
        if (k >= 0) {
                *ret = (uint32_t) k;
                return 1;
        }

        switch (p[0]) {
        case 'x':
                if (read_hex_escape(p, length, 2, accept_nul, &v) < 0)
                        return -EINVAL;
                *ret = v;
                *eight_bit = true;
                return 3;

        case 'u':
                /* \u is not range-checked beyond NUL (systemd accepts surrogates here). */
                if (read_hex_escape(p, length, 4, accept_nul, &v) < 0)
                        return -EINVAL;
                *ret = v;
                return 5;

        case 'U':
                if (read_hex_escape(p, length, 8, accept_nul, &v) < 0)
                        return -EINVAL;
                if (v != 0 && !unichar_is_valid(v))
                        return -EINVAL;
                *ret = v;
                return 9;

        case '0' ... '7': {
                int a, b, c;

                if (length < 3)
                        return -EINVAL;
                a = unoctchar(p[0]);
                b = unoctchar(p[1]);
                c = unoctchar(p[2]);
                if (a < 0 || b < 0 || c < 0)
                        return -EINVAL;
                v = ((uint32_t) a << 6) | ((uint32_t) b << 3) | (uint32_t) c;
                if (v == 0 && !accept_nul)
                        return -EINVAL;
                if (v > 255)
                        return -EINVAL;
                *ret = v;
                *eight_bit = true;
                return 3;
        }

        default:
                return -EINVAL;
        }
}

/* Appends the decoded value to t: a raw byte or the UTF-8 encoding of a code point. */
static size_t put_unescaped(char *t, uint32_t u, bool eight_bit) {
        if (eight_bit) {
                *t = (char) u;
                return 1;
        }
        return utf8_encode_one(t, u);
}

ssize_t cunescape(const char *s, size_t length, UnescapeFlags flags, char **ret) {
        _cleanup_free_ char *ans = NULL;
        const char *f, *end = s + length;
        char *t;

        assert(s);
        assert(ret);

        /* Every escape is at least as long as what it decodes to (\uNNNN → ≤ 3 bytes, \U… → 4),
         * so length + 1 bytes always suffice. */
        ans = new(char, length + 1);
        if (!ans)
                return -ENOMEM;

        for (f = s, t = ans; f < end; f++) {
                bool eight_bit = false;
                uint32_t u;
                int k;

                if (*f != '\\') {
                        *t++ = *f;
                        continue;
                }
                if (f + 1 == end) {
                        if (!(flags & UNESCAPE_RELAX))
                                return -EINVAL;
                        *t++ = '\\';
                        continue;
                }
                k = cunescape_one(f + 1, (size_t) (end - f - 1), &u, &eight_bit,
                                  flags & UNESCAPE_ACCEPT_NUL);
                if (k < 0) {
                        if (!(flags & UNESCAPE_RELAX))
                                return k;
                        *t++ = '\\'; /* unknown escape: keep it literally */
                        continue;
                }
                f += k;
                t += put_unescaped(t, u, eight_bit);
        }
        *t = 0;

        *ret = TAKE_PTR(ans);
        return t - *ret;
}

/* ---- extract_first_word ---- */

typedef struct WordBuf {
        char *s;
        size_t n, allocated;
} WordBuf;

/* Makes room for need more bytes plus the terminating NUL. */
static int word_reserve(WordBuf *w, size_t need) {
        return GREEDY_REALLOC(w->s, w->allocated, w->n + need + 1) ? 0 : -ENOMEM;
}

static int word_put(WordBuf *w, char c) {
        if (word_reserve(w, 1) < 0)
                return -ENOMEM;
        w->s[w->n++] = c;
        return 0;
}

/* Handles the character c that follows a backslash at **p (c != NUL). Advances *p over any extra
 * bytes the escape uses. */
static int word_put_escaped(WordBuf *w, const char **p, const char *separators, ExtractFlags flags) {
        char c = **p;

        if (word_reserve(w, 4) < 0)
                return -ENOMEM;

        if (!(flags & (EXTRACT_CUNESCAPE | EXTRACT_UNESCAPE_SEPARATORS))) {
                /* Plain mode: the backslash just makes the next byte literal. */
                w->s[w->n++] = c;
                return 0;
        }

        if (flags & EXTRACT_CUNESCAPE) {
                bool eight_bit = false;
                uint32_t u;
                int k;

                k = cunescape_one(*p, SIZE_MAX, &u, &eight_bit, false);
                if (k >= 0) {
                        *p += k - 1;
                        w->n += put_unescaped(w->s + w->n, u, eight_bit);
                        return 0;
                }
        }

        if ((flags & EXTRACT_UNESCAPE_SEPARATORS) && (strchr(separators, c) || c == '\\')) {
                w->s[w->n++] = c;
                return 0;
        }

        if (flags & EXTRACT_UNESCAPE_RELAX) {
                w->s[w->n++] = '\\';
                w->s[w->n++] = c;
                return 0;
        }

        return -EINVAL;
}

/* Hands the word collected so far to *ret (NULL and 0 if no word was started). */
static int word_finish(WordBuf *w, char **ret) {
        if (!w->s) {
                *ret = NULL;
                return 0;
        }
        w->s[w->n] = 0;
        *ret = TAKE_PTR(w->s);
        return 1;
}

static void word_done(WordBuf *w) {
        w->s = mfree(w->s);
}

/* A separator at **p ended the word: positions *p as the flags ask and returns the word. */
static int word_end_at_separator(WordBuf *w, const char **p, const char *separators,
                                 ExtractFlags flags, char **ret) {
        if (flags & EXTRACT_RETAIN_SEPARATORS)
                return word_finish(w, ret);
        if (flags & EXTRACT_DONT_COALESCE_SEPARATORS)
                (*p)++;
        else {
                *p += strspn(*p, separators);
                if (**p == 0)
                        *p = NULL;
        }
        return word_finish(w, ret);
}

enum {
        STEP_NEXT,      /* character consumed, go on */
        STEP_SEPARATOR, /* an unquoted separator ends the word */
        STEP_END,       /* the input is used up */
};

/* Processes the character at **p inside a word; *quote and *backslash carry the state. */
static int word_step(WordBuf *w, const char **p, const char *separators, ExtractFlags flags,
                     char *quote, bool *backslash) {
        char c = **p;

        if (*backslash) {
                *backslash = false;
                if (c != 0) {
                        int r = word_put_escaped(w, p, separators, flags);
                        return r < 0 ? r : STEP_NEXT;
                }
                /* A trailing backslash. */
                if ((flags & EXTRACT_UNESCAPE_RELAX) && (*quote == 0 || (flags & EXTRACT_RELAX)))
                        return word_put(w, '\\') < 0 ? -ENOMEM : STEP_END;
                return (flags & EXTRACT_RELAX) ? STEP_END : -EINVAL;
        }

        if (c == 0)
                return *quote != 0 && !(flags & EXTRACT_RELAX) ? -EINVAL : STEP_END;

        if (*quote != 0) {
                if (c == *quote) {
                        *quote = 0;
                        if (flags & EXTRACT_UNQUOTE)
                                return STEP_NEXT;
                } else if (c == '\\' && !(flags & EXTRACT_RETAIN_ESCAPE)) {
                        *backslash = true;
                        return STEP_NEXT;
                }
        } else if ((c == '\'' || c == '"') && (flags & (EXTRACT_KEEP_QUOTE | EXTRACT_UNQUOTE))) {
                *quote = c;
                if (flags & EXTRACT_UNQUOTE)
                        return STEP_NEXT;
        } else if (c == '\\' && !(flags & EXTRACT_RETAIN_ESCAPE)) {
                *backslash = true;
                return STEP_NEXT;
        } else if (strchr(separators, c))
                return STEP_SEPARATOR;

        return word_put(w, c) < 0 ? -ENOMEM : STEP_NEXT;
}

int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags) {
        _cleanup_(word_done) WordBuf w = {};
        bool backslash = false;
        char quote = 0;
        int r;

        assert(p);
        assert(ret);
        assert(!((flags & EXTRACT_KEEP_QUOTE) && (flags & EXTRACT_UNQUOTE)));

        if (flags & EXTRACT_CUNESCAPE_RELAX)
                flags |= EXTRACT_UNESCAPE_RELAX;
        if (!separators)
                separators = WHITESPACE;

        if (!*p) {
                *ret = NULL;
                return 0;
        }

        /* Without coalescing, even an empty field between two separators is a word. */
        if ((flags & EXTRACT_DONT_COALESCE_SEPARATORS) && word_reserve(&w, 0) < 0)
                return -ENOMEM;

        /* Skip leading separators. */
        for (;; (*p)++) {
                if (**p == 0)
                        goto end_of_input;
                if (!strchr(separators, **p))
                        break;
                if (flags & EXTRACT_DONT_COALESCE_SEPARATORS)
                        return word_end_at_separator(&w, p, separators, flags, ret);
        }

        /* A non-separator: there is a word, even if it turns out empty (e.g. ""). */
        if (word_reserve(&w, 0) < 0)
                return -ENOMEM;

        for (;; (*p)++) {
                r = word_step(&w, p, separators, flags, &quote, &backslash);
                if (r < 0)
                        return r;
                if (r == STEP_SEPARATOR)
                        return word_end_at_separator(&w, p, separators, flags, ret);
                if (r == STEP_END)
                        break;
        }

end_of_input:
        *p = NULL;
        return word_finish(&w, ret);
}

int strv_split_full(const char *s, const char *separators, ExtractFlags flags, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        const char *p = s;
        int n = 0;

        assert(s);
        assert(ret);

        l = new0(char *, 1);
        if (!l)
                return -ENOMEM;

        for (;;) {
                char *word;
                int r;

                r = extract_first_word(&p, &word, separators, flags);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                r = strv_consume(&l, word);
                if (r < 0)
                        return r;
                n++;
        }

        *ret = TAKE_PTR(l);
        return n;
}

/* ---- escaping for output ---- */

int cescape_char(char c, char *buf) {
        static const char simple[] = "\a\b\f\n\r\t\v\\\"\'";
        static const char letters[] = "abfnrtv\\\"\'";
        const char *q;
        unsigned char u = (unsigned char) c;

        if (c != 0 && (q = strchr(simple, c))) {
                buf[0] = '\\';
                buf[1] = letters[q - simple];
                return 2;
        }
        if (u < ' ' || u >= 127) {
                /* Octal rather than hex, as glib's g_strescape() does. */
                buf[0] = '\\';
                buf[1] = (char) ('0' + (u >> 6));
                buf[2] = (char) ('0' + ((u >> 3) & 7));
                buf[3] = (char) ('0' + (u & 7));
                return 4;
        }
        buf[0] = c;
        return 1;
}

char *cescape_length(const char *s, size_t n) {
        char *r, *t;

        assert(s || n == 0);

        r = new(char, n * 4 + 1);
        if (!r)
                return NULL;
        t = r;
        for (size_t i = 0; i < n; i++)
                t += cescape_char(s[i], t);
        *t = 0;
        return r;
}

char *cescape(const char *s) {
        assert(s);
        return cescape_length(s, strlen(s));
}

static bool char_is_cc(char c) {
        return (unsigned char) c < ' ' || c == 127;
}

/* Copies s to t, backslash-escaping \ and the characters in bad; control characters and
 * invalid UTF-8 are C-escaped. Returns the end of the output. t needs 4 * strlen(s) bytes. */
static char *copy_backslash_escaped(char *t, const char *s, const char *bad) {
        while (*s) {
                int l = utf8_encoded_valid_unichar(s, strlen(s));

                if (char_is_cc(*s) || l < 0)
                        t += cescape_char(*s++, t);
                else if (l == 1) {
                        if (*s == '\\' || strchr(bad, *s))
                                *t++ = '\\';
                        *t++ = *s++;
                } else {
                        memcpy(t, s, (size_t) l);
                        t += l;
                        s += l;
                }
        }
        return t;
}

char *shell_escape(const char *s, const char *bad) {
        char *buf, *t;

        assert(s);
        assert(bad);

        buf = new(char, strlen(s) * 4 + 1);
        if (!buf)
                return NULL;
        t = copy_backslash_escaped(buf, s, bad);
        *t = 0;
        return buf;
}

char *shell_maybe_quote_full(const char *s, ShellEscapeFlags flags) {
        bool posix = flags & SHELL_ESCAPE_POSIX;
        const char *p;
        char *buf, *t;

        assert(s);

        if ((flags & SHELL_ESCAPE_EMPTY) && isempty(s))
                return strdup("\"\"");

        /* Find the first character that needs quoting; everything before it is copied as is. */
        for (p = s; *p;) {
                int l = utf8_encoded_valid_unichar(p, strlen(p));

                if (char_is_cc(*p) || l < 0 || strchr(WHITESPACE SHELL_NEED_QUOTES, *p))
                        break;
                p += l;
        }
        if (!*p)
                return strdup(s);

        buf = new(char, 2 + strlen(s) * 4 + 2);
        if (!buf)
                return NULL;

        t = buf;
        if (posix) {
                *t++ = '$';
                *t++ = '\'';
        } else
                *t++ = '"';
        memcpy(t, s, (size_t) (p - s));
        t += p - s;
        t = copy_backslash_escaped(t, p, posix ? "\\'" : SHELL_NEED_ESCAPE);
        *t++ = posix ? '\'' : '"';
        *t = 0;
        return buf;
}

char *shell_maybe_quote(const char *s) {
        return shell_maybe_quote_full(s, 0);
}

char *quote_command_line(char *const *argv, ShellEscapeFlags flags) {
        _cleanup_free_ char *result = NULL;

        assert(argv);

        result = strdup("");
        if (!result)
                return NULL;
        for (char *const *a = argv; *a; a++) {
                _cleanup_free_ char *q = shell_maybe_quote_full(*a, flags);

                if (!q || strextend(&result, a == argv ? "" : " ", q) < 0)
                        return NULL;
        }
        return TAKE_PTR(result);
}
