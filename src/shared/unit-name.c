/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * unit-name.c: implementation of unit-name.h. The rules (character sets, where '@' and the last
 * '.' split a name, the "\xNN" escaping, the hashed long names) follow systemd 252 byte for
 * byte, because unit names are visible everywhere: file names, D-Bus paths, systemctl output.
 */

#include <stdio.h>

#include "fd-util.h"
#include "log.h"
#include "path-util.h"
#include "siphash24.h"
#include "string-util.h"
#include "unit-name.h"

/* Bytes allowed in a prefix; an instance may also contain '@'. */
#define UNIT_NAME_CHARS ALPHANUMERICAL ":-_.\\"
#define UNIT_NAME_CHARS_WITH_AT "@" UNIT_NAME_CHARS
/* What a glob over unit names may contain. */
#define UNIT_NAME_CHARS_GLOB UNIT_NAME_CHARS_WITH_AT "[]!-*?"
#define UNIT_GLOB_CHARS "*?["

#define UNIT_DBUS_PATH_PREFIX "/org/freedesktop/systemd1/unit/"

/* The key systemd uses to hash over-long unit names; it must match for the names to match. */
static const uint8_t unit_name_hash_key[16] = {
        0xec, 0xf2, 0x37, 0xfb, 0x58, 0x32, 0x4a, 0x32,
        0x84, 0x9f, 0x06, 0x9b, 0x0d, 0x21, 0xeb, 0x9a,
};

static const char *const unit_type_table[_UNIT_TYPE_MAX] = {
        [UNIT_SERVICE] = "service",     [UNIT_MOUNT] = "mount",   [UNIT_SWAP] = "swap",
        [UNIT_SOCKET] = "socket",       [UNIT_TARGET] = "target", [UNIT_DEVICE] = "device",
        [UNIT_AUTOMOUNT] = "automount", [UNIT_TIMER] = "timer",   [UNIT_PATH] = "path",
        [UNIT_SLICE] = "slice",         [UNIT_SCOPE] = "scope",
};

static const char *const unit_type_capitalized_table[_UNIT_TYPE_MAX] = {
        [UNIT_SERVICE] = "Service",     [UNIT_MOUNT] = "Mount",   [UNIT_SWAP] = "Swap",
        [UNIT_SOCKET] = "Socket",       [UNIT_TARGET] = "Target", [UNIT_DEVICE] = "Device",
        [UNIT_AUTOMOUNT] = "Automount", [UNIT_TIMER] = "Timer",   [UNIT_PATH] = "Path",
        [UNIT_SLICE] = "Slice",         [UNIT_SCOPE] = "Scope",
};

static const char *const unit_dbus_interface_table[_UNIT_TYPE_MAX] = {
        [UNIT_SERVICE] = "org.freedesktop.systemd1.Service",
        [UNIT_MOUNT] = "org.freedesktop.systemd1.Mount",
        [UNIT_SWAP] = "org.freedesktop.systemd1.Swap",
        [UNIT_SOCKET] = "org.freedesktop.systemd1.Socket",
        [UNIT_TARGET] = "org.freedesktop.systemd1.Target",
        [UNIT_DEVICE] = "org.freedesktop.systemd1.Device",
        [UNIT_AUTOMOUNT] = "org.freedesktop.systemd1.Automount",
        [UNIT_TIMER] = "org.freedesktop.systemd1.Timer",
        [UNIT_PATH] = "org.freedesktop.systemd1.Path",
        [UNIT_SLICE] = "org.freedesktop.systemd1.Slice",
        [UNIT_SCOPE] = "org.freedesktop.systemd1.Scope",
};

const char *unit_type_to_string(UnitType t) {
        if (t < 0 || t >= _UNIT_TYPE_MAX)
                return NULL;
        return unit_type_table[t];
}

UnitType unit_type_from_string(const char *s) {
        if (!s)
                return _UNIT_TYPE_INVALID;
        for (UnitType t = 0; t < _UNIT_TYPE_MAX; t++)
                if (streq(unit_type_table[t], s))
                        return t;
        return _UNIT_TYPE_INVALID;
}

const char *unit_type_to_capitalized_string(UnitType t) {
        if (t < 0 || t >= _UNIT_TYPE_MAX)
                return NULL;
        return unit_type_capitalized_table[t];
}

bool unit_type_may_alias(UnitType t) {
        return IN_SET(t, UNIT_SERVICE, UNIT_SOCKET, UNIT_TARGET, UNIT_DEVICE, UNIT_TIMER,
                      UNIT_PATH);
}

bool unit_type_may_template(UnitType t) {
        return IN_SET(t, UNIT_SERVICE, UNIT_SOCKET, UNIT_TARGET, UNIT_TIMER, UNIT_PATH);
}

/* ------------------------------------------------------------------------------------------ */
/* Validity and splitting                                                                      */

bool unit_name_is_valid(const char *n, UnitNameFlags flags) {
        const char *dot, *at = NULL;

        if ((flags & UNIT_NAME_ANY) == 0 || isempty(n))
                return false;
        if (strlen(n) >= UNIT_NAME_MAX)
                return false;

        /* The type is whatever follows the last dot, and it must leave a non-empty rest. */
        dot = strrchr(n, '.');
        if (!dot || dot == n || unit_type_from_string(dot + 1) < 0)
                return false;

        for (const char *i = n; i < dot; i++) {
                if (*i == '@' && !at)
                        at = i;
                if (!strchr(UNIT_NAME_CHARS_WITH_AT, *i))
                        return false;
        }
        if (at == n)
                return false;

        if ((flags & UNIT_NAME_PLAIN) && !at)
                return true;
        if ((flags & UNIT_NAME_INSTANCE) && at && dot > at + 1)
                return true;
        if ((flags & UNIT_NAME_TEMPLATE) && at && dot == at + 1)
                return true;
        return false;
}

UnitNameFlags unit_name_classify(const char *n) {
        int r = unit_name_to_instance(n, NULL);
        return r < 0 ? 0 : (UnitNameFlags) r;
}

bool unit_prefix_is_valid(const char *p) {
        return !isempty(p) && in_charset(p, UNIT_NAME_CHARS);
}

bool unit_instance_is_valid(const char *i) {
        return !isempty(i) && in_charset(i, UNIT_NAME_CHARS_WITH_AT);
}

bool unit_suffix_is_valid(const char *s) {
        return !isempty(s) && s[0] == '.' && unit_type_from_string(s + 1) >= 0;
}

UnitType unit_name_to_type(const char *n) {
        if (!unit_name_is_valid(n, UNIT_NAME_ANY))
                return _UNIT_TYPE_INVALID;
        return unit_type_from_string(strrchr(n, '.') + 1);
}

/* Copies the first len bytes of s into *ret. */
static int unit_name_copy_prefix(const char *s, size_t len, char **ret) {
        char *c = strndup(s, len);
        if (!c)
                return -ENOMEM;
        *ret = c;
        return 0;
}

int unit_name_to_prefix(const char *n, char **ret) {
        const char *end;

        if (!unit_name_is_valid(n, UNIT_NAME_ANY))
                return -EINVAL;

        end = strchr(n, '@') ?: strrchr(n, '.');
        return unit_name_copy_prefix(n, (size_t) (end - n), ret);
}

int unit_name_to_instance(const char *n, char **ret) {
        const char *at, *dot;

        if (!unit_name_is_valid(n, UNIT_NAME_ANY))
                return -EINVAL;

        /* The instance is everything between the first '@' and the last '.'. */
        at = strchr(n, '@');
        if (!at) {
                if (ret)
                        *ret = NULL;
                return UNIT_NAME_PLAIN;
        }
        at++;
        dot = strrchr(at, '.');
        if (ret) {
                int r = unit_name_copy_prefix(at, (size_t) (dot - at), ret);
                if (r < 0)
                        return r;
        }
        return dot > at ? UNIT_NAME_INSTANCE : UNIT_NAME_TEMPLATE;
}

int unit_name_to_prefix_and_instance(const char *n, char **ret) {
        if (!unit_name_is_valid(n, UNIT_NAME_ANY))
                return -EINVAL;
        return unit_name_copy_prefix(n, (size_t) (strrchr(n, '.') - n), ret);
}

bool unit_name_prefix_equal(const char *a, const char *b) {
        const char *p, *q;

        if (!unit_name_is_valid(a, UNIT_NAME_ANY) || !unit_name_is_valid(b, UNIT_NAME_ANY))
                return false;

        p = strchr(a, '@') ?: strrchr(a, '.');
        q = strchr(b, '@') ?: strrchr(b, '.');
        return p - a == q - b && memcmp(a, b, (size_t) (p - a)) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Building and rewriting                                                                      */

/* Hands s to *ret if it is a valid name of the given kinds, else frees it. */
static int unit_name_take_if_valid(char *s, UnitNameFlags flags, char **ret) {
        if (!s)
                return -ENOMEM;
        if (!unit_name_is_valid(s, flags)) {
                free(s);
                return -EINVAL;
        }
        *ret = s;
        return 0;
}

int unit_name_change_suffix(const char *n, const char *suffix, char **ret) {
        if (!unit_name_is_valid(n, UNIT_NAME_ANY) || !unit_suffix_is_valid(suffix))
                return -EINVAL;

        /* The longer suffix may push the name over the length limit: check again. */
        return unit_name_take_if_valid(strjoin(strndupa(n, (size_t) (strrchr(n, '.') - n)), suffix),
                                       UNIT_NAME_ANY, ret);
}

int unit_name_build(const char *prefix, const char *instance, const char *suffix, char **ret) {
        UnitType t;

        if (!suffix || suffix[0] != '.')
                return -EINVAL;
        t = unit_type_from_string(suffix + 1);
        if (t < 0)
                return t;
        return unit_name_build_from_type(prefix, instance, t, ret);
}

int unit_name_build_from_type(const char *prefix, const char *instance, UnitType t, char **ret) {
        const char *type = unit_type_to_string(t);

        if (!type || !unit_prefix_is_valid(prefix))
                return -EINVAL;
        if (instance && !unit_instance_is_valid(instance))
                return -EINVAL;

        if (instance)
                return unit_name_take_if_valid(strjoin(prefix, "@", instance, ".", type),
                                               UNIT_NAME_INSTANCE, ret);
        return unit_name_take_if_valid(strjoin(prefix, ".", type), UNIT_NAME_PLAIN, ret);
}

int unit_name_template(const char *n, char **ret) {
        const char *at;
        char *s;

        if (!unit_name_is_valid(n, UNIT_NAME_INSTANCE | UNIT_NAME_TEMPLATE))
                return -EINVAL;

        at = strchr(n, '@');
        s = strjoin(strndupa(n, (size_t) (at - n) + 1), strrchr(n, '.'));
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int unit_name_replace_instance(const char *template_or_instance, const char *instance, char **ret) {
        const char *f = template_or_instance, *at;

        if (!unit_name_is_valid(f, UNIT_NAME_INSTANCE | UNIT_NAME_TEMPLATE))
                return -EINVAL;
        if (!unit_instance_is_valid(instance))
                return -EINVAL;

        at = strchr(f, '@');
        return unit_name_take_if_valid(
                strjoin(strndupa(f, (size_t) (at - f) + 1), instance, strrchr(f, '.')),
                UNIT_NAME_INSTANCE, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* Escaping                                                                                    */

static char *unit_name_escape_byte(char c, char *t) {
        unsigned char b = (unsigned char) c;

        *t++ = '\\';
        *t++ = 'x';
        *t++ = (char) hexchar(b >> 4);
        *t++ = (char) hexchar(b & 15);
        return t;
}

char *unit_name_escape(const char *f) {
        char *r, *t;

        r = new(char, strlen(f) * 4 + 1);
        if (!r)
                return NULL;
        t = r;

        /* A leading dot would make a hidden file ("/.snapshots" mounts): always escape it. */
        if (*f == '.')
                t = unit_name_escape_byte(*f++, t);

        for (; *f; f++) {
                if (*f == '/')
                        *t++ = '-';
                else if (*f == '-' || *f == '\\' || !strchr(UNIT_NAME_CHARS, *f))
                        t = unit_name_escape_byte(*f, t);
                else
                        *t++ = *f;
        }
        *t = 0;
        return r;
}

int unit_name_unescape(const char *f, char **ret) {
        char *r, *t;

        r = strdup(f);
        if (!r)
                return -ENOMEM;

        for (t = r; *f; f++) {
                int a, b;

                if (*f == '-') {
                        *t++ = '/';
                        continue;
                }
                if (*f != '\\') {
                        *t++ = *f;
                        continue;
                }
                /* Only "\xNN" is an escape; anything else after a backslash is an error. */
                if (f[1] != 'x' || (a = unhexchar(f[2])) < 0 || (b = unhexchar(f[3])) < 0) {
                        free(r);
                        return -EINVAL;
                }
                *t++ = (char) ((a << 4) | b);
                f += 3;
        }
        *t = 0;
        *ret = r;
        return 0;
}

int unit_name_path_escape(const char *path, char **ret) {
        _cleanup_free_ char *p = NULL;
        char *s;

        p = strdup(path);
        if (!p)
                return -ENOMEM;
        path_simplify(p);

        if (isempty(p) || streq(p, "/"))
                s = strdup("-");
        else {
                if (!path_is_normalized(p))
                        return -EINVAL;
                /* After simplification at most one leading and no trailing slash remain. */
                s = unit_name_escape(p[0] == '/' ? p + 1 : p);
        }
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int unit_name_path_unescape(const char *f, char **ret) {
        _cleanup_free_ char *w = NULL;
        char *s;
        int r;

        if (isempty(f))
                return -EINVAL;

        if (streq(f, "-"))
                s = strdup("/");
        else {
                r = unit_name_unescape(f, &w);
                if (r < 0)
                        return r;
                /* A leading or trailing slash would not survive the round trip: refuse it. */
                if (w[0] == '/' || endswith(w, "/"))
                        return -EINVAL;
                s = strjoin("/", w);
                if (s && !path_is_normalized(s)) {
                        free(s);
                        return -EINVAL;
                }
        }
        if (!s)
                return -ENOMEM;
        if (ret)
                *ret = s;
        else
                free(s);
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Names for paths                                                                             */

bool unit_name_is_hashed(const char *name) {
        const char *dot, *h;

        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN))
                return false;

        dot = strrchr(name, '.');
        if (dot - name < UNIT_NAME_HASH_LENGTH_CHARS + 1)
                return false;
        h = dot - UNIT_NAME_HASH_LENGTH_CHARS;
        if (h[-1] != '_')
                return false;
        for (size_t i = 0; i < UNIT_NAME_HASH_LENGTH_CHARS; i++)
                if (!strchr("0123456789abcdef", h[i]))
                        return false;
        return true;
}

int unit_name_hash_long(const char *name, char **ret) {
        char hash[UNIT_NAME_HASH_LENGTH_CHARS + 1], *s;
        const char *dot;
        uint64_t h;
        size_t keep;

        if (strlen(name) < UNIT_NAME_MAX)
                return -EMSGSIZE;
        dot = strrchr(name, '.');
        if (!dot || unit_type_from_string(dot + 1) < 0)
                return -EINVAL;

        /* SipHash over the name including its NUL, printed as the little-endian bytes in hex. */
        h = siphash24(name, strlen(name) + 1, unit_name_hash_key);
        for (size_t i = 0; i < 8; i++) {
                uint8_t b = (uint8_t) (h >> (8 * i));
                hash[2 * i] = (char) hexchar(b >> 4);
                hash[2 * i + 1] = (char) hexchar(b & 15);
        }
        hash[UNIT_NAME_HASH_LENGTH_CHARS] = 0;

        /* Keep as much of the start as fits: the result is exactly UNIT_NAME_MAX - 1 bytes. */
        keep = UNIT_NAME_MAX - 1 - strlen(dot + 1) - UNIT_NAME_HASH_LENGTH_CHARS - 2;
        s = strjoin(strndupa(name, keep), "_", hash, dot);
        return unit_name_take_if_valid(s, UNIT_NAME_PLAIN, ret);
}

int unit_name_from_path(const char *path, const char *suffix, char **ret) {
        _cleanup_free_ char *p = NULL, *s = NULL;
        int r;

        if (!unit_suffix_is_valid(suffix))
                return -EINVAL;

        r = unit_name_path_escape(path, &p);
        if (r < 0)
                return r;
        s = strjoin(p, suffix);
        if (!s)
                return -ENOMEM;

        if (strlen(s) >= UNIT_NAME_MAX) {
                char *h = NULL;

                log_debug("Unit name \"%s\" too long, falling back to hashed unit name.", s);
                r = unit_name_hash_long(s, &h);
                if (r < 0)
                        return r;
                free_and_replace_str(&s, h);
        }

        return unit_name_take_if_valid(TAKE_PTR(s), UNIT_NAME_PLAIN, ret);
}

int unit_name_from_path_instance(const char *prefix, const char *path, const char *suffix,
                                 char **ret) {
        _cleanup_free_ char *p = NULL;
        char *s;
        int r;

        if (!unit_prefix_is_valid(prefix) || !unit_suffix_is_valid(suffix))
                return -EINVAL;

        r = unit_name_path_escape(path, &p);
        if (r < 0)
                return r;
        s = strjoin(prefix, "@", p, suffix);
        if (!s)
                return -ENOMEM;
        if (strlen(s) >= UNIT_NAME_MAX) {
                free(s);
                return -ENAMETOOLONG;
        }
        return unit_name_take_if_valid(s, UNIT_NAME_INSTANCE, ret);
}

int unit_name_to_path(const char *name, char **ret) {
        _cleanup_free_ char *prefix = NULL;
        int r;

        r = unit_name_to_prefix(name, &prefix);
        if (r < 0)
                return r;
        if (unit_name_is_hashed(name))
                return -ENAMETOOLONG;
        return unit_name_path_unescape(prefix, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* Mangling what users type                                                                    */

/* Skips slashes and "." components, as systemd's component iterator does. */
static const char *path_skip_slash_or_dot(const char *p) {
        for (;;) {
                if (*p == '/')
                        p++;
                else if (p[0] == '.' && p[1] == '/')
                        p += 2;
                else if (p[0] == '.' && p[1] == 0)
                        p++;
                else
                        return p;
        }
}

/* "/dev/X" or "/sys/X" with something after the directory, compared component-wise ignoring
 * "." components and repeated slashes. */
static bool unit_name_is_device_path(const char *path) {
        const char *dir;

        FOREACH_STRING (dir, "dev", "sys") {
                const char *p;

                if (path[0] != '/')
                        return false;
                p = path_skip_slash_or_dot(path);
                if (!startswith(p, dir) || !IN_SET(p[3], '/', 0))
                        continue;
                if (*path_skip_slash_or_dot(p + 3) != 0)
                        return true;
        }
        return false;
}

static bool string_is_glob(const char *s) {
        return strpbrk(s, UNIT_GLOB_CHARS) != NULL;
}

/* Escapes what cannot be in a unit name (or glob); returns whether anything was changed. */
static bool unit_name_escape_mangle(const char *f, bool allow_globs, char *t) {
        const char *valid = allow_globs ? UNIT_NAME_CHARS_GLOB : UNIT_NAME_CHARS_WITH_AT;
        bool mangled = false;

        for (; *f; f++) {
                if (*f == '/') {
                        *t++ = '-';
                        mangled = true;
                } else if (!strchr(valid, *f)) {
                        t = unit_name_escape_byte(*f, t);
                        mangled = true;
                } else
                        *t++ = *f;
        }
        *t = 0;
        return mangled;
}

/* Tries the path forms: 1 and *ret set on success, 0 to go on, or a negative error. */
static int unit_name_mangle_path(const char *name, char **ret) {
        int r;

        if (unit_name_is_device_path(name)) {
                r = unit_name_from_path(name, ".device", ret);
                if (r >= 0)
                        return 1;
                if (r != -EINVAL)
                        return r;
        }
        if (path_is_absolute(name)) {
                r = unit_name_from_path(name, ".mount", ret);
                if (r >= 0)
                        return 1;
                if (r != -EINVAL)
                        return r;
        }
        return 0;
}

static int unit_name_keep(const char *name, char **ret) {
        char *s = strdup(name);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int unit_name_mangle_with_suffix(const char *name, const char *operation, UnitNameMangle flags,
                                 const char *suffix, char **ret) {
        int level = (flags & UNIT_NAME_MANGLE_WARN) ? LOG_NOTICE : LOG_DEBUG;
        bool glob = flags & UNIT_NAME_MANGLE_GLOB, suggest_escape = true;
        _cleanup_free_ char *s = NULL;
        int r;

        if (isempty(name) || !unit_suffix_is_valid(suffix))
                return -EINVAL;
        if (unit_name_is_valid(name, UNIT_NAME_ANY))
                return unit_name_keep(name, ret);

        if (string_is_glob(name) && in_charset(name, UNIT_NAME_CHARS_GLOB)) {
                if (glob)
                        return unit_name_keep(name, ret);
                log_full(level, "Glob pattern passed%s%s, but globs are not supported for this.",
                         operation ? " " : "", strempty(operation));
                suggest_escape = false;
        }

        r = unit_name_mangle_path(name, ret);
        if (r != 0)
                return r;

        s = new(char, strlen(name) * 4 + strlen(suffix) + 1);
        if (!s)
                return -ENOMEM;
        if (unit_name_escape_mangle(name, glob, s))
                log_full(level, "Invalid unit name \"%s\" escaped as \"%s\"%s.", name, s,
                         suggest_escape ? " (maybe you should use systemd-escape?)" : "");

        /* Add the suffix when there is no type yet, except to globs ("foo.*" stays a glob). */
        if ((!glob || !string_is_glob(s)) && unit_name_to_type(s) < 0)
                strcat(s, suffix);
        if (!glob && !unit_name_is_valid(s, UNIT_NAME_ANY))
                return -EINVAL;

        *ret = TAKE_PTR(s);
        return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Slices                                                                                      */

bool slice_name_is_valid(const char *name) {
        const char *e;
        bool dash = false;

        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN))
                return false;
        if (streq(name, "-.slice"))
                return true;
        e = endswith(name, ".slice");
        if (!e)
                return false;

        for (const char *p = name; p < e; p++) {
                if (*p != '-') {
                        dash = false;
                        continue;
                }
                /* No leading dash and no "--". */
                if (p == name || dash)
                        return false;
                dash = true;
        }
        return !dash;
}

int slice_build_parent_slice(const char *slice, char **ret) {
        const char *dash;
        char *s;

        if (!slice_name_is_valid(slice))
                return -EINVAL;
        if (streq(slice, "-.slice")) {
                *ret = NULL;
                return 0;
        }

        dash = strrchr(slice, '-');
        s = dash ? strjoin(strndupa(slice, (size_t) (dash - slice)), ".slice") : strdup("-.slice");
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 1;
}

int slice_build_subslice(const char *slice, const char *name, char **ret) {
        char *s;

        if (!slice_name_is_valid(slice) || !unit_prefix_is_valid(name))
                return -EINVAL;

        if (streq(slice, "-.slice"))
                s = strjoin(name, ".slice");
        else
                s = strjoin(strndupa(slice, strlen(slice) - STRLEN(".slice")), "-", name, ".slice");
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* D-Bus                                                                                       */

char *bus_label_escape(const char *s) {
        char *r, *t;

        if (*s == 0)
                return strdup("_");

        r = new(char, strlen(s) * 3 + 1);
        if (!r)
                return NULL;

        t = r;
        for (const char *f = s; *f; f++) {
                unsigned char c = (unsigned char) *f;
                bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                bool digit = c >= '0' && c <= '9';

                /* Letters pass; digits pass unless first (an element may not start with one). */
                if (alpha || (digit && f > s)) {
                        *t++ = (char) c;
                        continue;
                }
                *t++ = '_';
                *t++ = (char) hexchar(c >> 4);
                *t++ = (char) hexchar(c & 15);
        }
        *t = 0;
        return r;
}

char *bus_label_unescape_n(const char *s, size_t n) {
        char *r, *t;

        if (n == 1 && s[0] == '_')
                return strdup("");

        r = new(char, n + 1);
        if (!r)
                return NULL;

        t = r;
        for (size_t i = 0; i < n; i++) {
                int a, b;

                /* A "_" without two hex digits after it is taken literally. */
                if (s[i] == '_' && n - i >= 3 && (a = unhexchar(s[i + 1])) >= 0 &&
                    (b = unhexchar(s[i + 2])) >= 0) {
                        *t++ = (char) ((a << 4) | b);
                        i += 2;
                } else
                        *t++ = s[i];
        }
        *t = 0;
        return r;
}

char *bus_label_unescape(const char *s) {
        return bus_label_unescape_n(s, strlen(s));
}

char *unit_dbus_path_from_name(const char *name) {
        _cleanup_free_ char *e = bus_label_escape(name);

        if (!e)
                return NULL;
        return strjoin(UNIT_DBUS_PATH_PREFIX, e);
}

int unit_name_from_dbus_path(const char *path, char **ret) {
        const char *e = startswith(path, UNIT_DBUS_PATH_PREFIX);
        char *n;

        if (!e)
                return -EINVAL;
        n = bus_label_unescape(e);
        if (!n)
                return -ENOMEM;
        *ret = n;
        return 0;
}

const char *unit_dbus_interface_from_type(UnitType t) {
        if (t < 0 || t >= _UNIT_TYPE_MAX)
                return NULL;
        return unit_dbus_interface_table[t];
}

const char *unit_dbus_interface_from_name(const char *name) {
        return unit_dbus_interface_from_type(unit_name_to_type(name));
}
