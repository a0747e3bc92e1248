/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * specifier.c: implementation of specifier.h. The expansion rules and every system value are
 * reproduced from systemd 252 (including its fallbacks), because unit files written for systemd
 * must expand to the same strings under sysmaster.
 */

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "env-util.h"
#include "fd-util.h"
#include "path-util.h"
#include "specifier.h"
#include "string-util.h"
#include "strv.h"

/* What may follow '%' as a specifier: anything else after a '%' is copied literally. */
#define SPECIFIER_POSSIBLE ALPHANUMERICAL "%"

#define UID_NOBODY ((uid_t) 65534)
#define GID_NOBODY ((gid_t) 65534)
#define FALLBACK_HOSTNAME "localhost"
#define DEFAULT_USER_SHELL "/bin/bash"
#define NOLOGIN "/usr/sbin/nologin"

/* ------------------------------------------------------------------------------------------ */
/* The engine                                                                                  */

static const Specifier *specifier_find(const Specifier *table, char c) {
        for (const Specifier *i = table; i->specifier; i++)
                if (i->specifier == c)
                        return i->lookup ? i : NULL;
        return NULL;
}

/* Appends n bytes to the growing result. */
static int specifier_append(char **buf, size_t *allocated, size_t *len, const char *s, size_t n) {
        if (!GREEDY_REALLOC(*buf, *allocated, *len + n + 1))
                return -ENOMEM;
        memcpy(*buf + *len, s, n);
        *len += n;
        (*buf)[*len] = 0;
        return 0;
}

/* Expands the specifier c; appends its value, c itself (with the '%'), or fails. */
static int specifier_expand_one(char c, const Specifier *table, const void *userdata, char **buf,
                                size_t *allocated, size_t *len) {
        _cleanup_free_ char *w = NULL;
        const Specifier *s;
        int r;

        if (c == '%')
                return specifier_append(buf, allocated, len, "%", 1);

        s = specifier_find(table, c);
        if (!s) {
                if (strchr(SPECIFIER_POSSIBLE, c))
                        return -EBADSLT;
                return specifier_append(buf, allocated, len, (const char[]){ '%', c }, 2);
        }

        r = s->lookup(c, s->data, userdata, &w);
        if (r < 0)
                return r;
        if (isempty(w))
                return 0;
        return specifier_append(buf, allocated, len, w, strlen(w));
}

int specifier_printf(const char *text, size_t max_length, const Specifier *table,
                     const void *userdata, char **ret) {
        _cleanup_free_ char *buf = NULL;
        size_t allocated = 0, len = 0;
        int r;

        if (!GREEDY_REALLOC(buf, allocated, strlen(text) + 1))
                return -ENOMEM;
        buf[0] = 0;

        for (const char *f = text; *f; f++) {
                if (*f != '%')
                        r = specifier_append(&buf, &allocated, &len, f, 1);
                else if (f[1] == 0)
                        r = specifier_append(&buf, &allocated, &len, "%",
                                             1); /* trailing lone '%' */
                else
                        r = specifier_expand_one(*++f, table, userdata, &buf, &allocated, &len);
                if (r < 0)
                        return r;
                if (len > max_length)
                        return -ENAMETOOLONG;
        }

        *ret = TAKE_PTR(buf);
        return 0;
}

char *specifier_escape(const char *s) {
        size_t n = 0;
        char *r, *t;

        for (const char *p = s; *p; p++)
                n += *p == '%' ? 2 : 1;
        r = new(char, n + 1);
        if (!r)
                return NULL;
        t = r;
        for (const char *p = s; *p; p++) {
                if (*p == '%')
                        *t++ = '%';
                *t++ = *p;
        }
        *t = 0;
        return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Generic callbacks                                                                           */

static int specifier_strdup(const char *s, char **ret) {
        char *c = strdup(s);
        if (!c)
                return -ENOMEM;
        *ret = c;
        return 0;
}

int specifier_string(char specifier, const void *data, const void *userdata, char **ret) {
        if (isempty(data)) {
                *ret = NULL;
                return 0;
        }
        return specifier_strdup(data, ret);
}

int specifier_real_path(char specifier, const void *data, const void *userdata, char **ret) {
        char *p;

        if (!data)
                return -ENOENT;
        p = realpath(data, NULL);
        if (!p)
                return negative_errno();
        *ret = p;
        return 0;
}

int specifier_real_directory(char specifier, const void *data, const void *userdata, char **ret) {
        _cleanup_free_ char *p = NULL;
        int r;

        r = specifier_real_path(specifier, data, userdata, &p);
        if (r < 0)
                return r;
        return path_extract_directory(p, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* 128-bit IDs                                                                                 */

#define ID128_PLAIN_LEN 32
#define ID128_UUID_LEN 36

/* Parses 32 hex digits, or the UUID form with dashes after digit 8, 12, 16 and 20, into out[33]
 * as lower-case hex. -EINVAL for anything else. */
static int id128_normalize(const char *s, char out[static ID128_PLAIN_LEN + 1]) {
        bool uuid = strlen(s) == ID128_UUID_LEN;
        size_t n = 0;

        for (size_t i = 0; s[i]; i++) {
                int v;

                if (uuid && IN_SET(i, (size_t) 8, (size_t) 13, (size_t) 18, (size_t) 23)) {
                        if (s[i] != '-')
                                return -EINVAL;
                        continue;
                }
                v = unhexchar(s[i]);
                if (v < 0 || n >= ID128_PLAIN_LEN)
                        return -EINVAL;
                out[n++] = (char) hexchar(v);
        }
        if (n != ID128_PLAIN_LEN)
                return -EINVAL;
        out[n] = 0;
        return 0;
}

/* Reads an ID file as systemd does: the ID, optionally followed by one newline, nothing else. */
static int id128_read(const char *path, bool want_uuid, char **ret) {
        /* One byte more than the longest valid content, so that longer files are refused. */
        char buf[ID128_UUID_LEN + 3], id[ID128_PLAIN_LEN + 1];
        _cleanup_close_ int fd = -1;
        ssize_t l;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        for (l = 0; (size_t) l < sizeof buf - 1;) {
                ssize_t k = read(fd, buf + l, sizeof buf - 1 - (size_t) l);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                l += k;
        }
        if (l == 0)
                return -ENOMEDIUM;
        buf[l] = 0;
        if (streq(buf, "uninitialized") || streq(buf, "uninitialized\n"))
                return -ENOPKG;
        if (buf[l - 1] == '\n')
                buf[--l] = 0;
        if (l != (want_uuid ? ID128_UUID_LEN : ID128_PLAIN_LEN))
                return -EINVAL;

        r = id128_normalize(buf, id);
        if (r < 0)
                return r;
        return specifier_strdup(id, ret);
}

int specifier_machine_id(char specifier, const void *data, const void *userdata, char **ret) {
        _cleanup_free_ char *id = NULL;
        int r;

        r = id128_read(data ?: "/etc/machine-id", false, &id);
        if (r < 0)
                return r;
        if (strspn(id, "0") == ID128_PLAIN_LEN)
                return -ENOMEDIUM;
        *ret = TAKE_PTR(id);
        return 0;
}

int specifier_boot_id(char specifier, const void *data, const void *userdata, char **ret) {
        return id128_read(data ?: "/proc/sys/kernel/random/boot_id", true, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* Environment-style files (os-release, machine-info)                                          */

/* Looks up key in the environment-style file at path, read as systemd's parse_env_file() reads
 * it (keys are not checked to be valid names). Returns 0 and *ret (NULL if the key is missing or
 * empty), or a negative errno (-ENOENT for a missing file, -EINVAL for bad UTF-8). */
static int env_file_get(const char *path, const char *key, char **ret) {
        _cleanup_strv_free_ char **env = NULL;
        const char *v;
        int r;

        r = load_env_file_full(NULL, path, 0, &env);
        if (r < 0)
                return r;

        v = strv_env_get(env, key);
        if (isempty(v)) {
                *ret = NULL;
                return 0;
        }
        return specifier_strdup(v, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* OS release                                                                                  */

static int os_release_get(const char *key, char **ret) {
        const char *override = secure_getenv("SYSTEMD_OS_RELEASE");
        int r;

        if (override)
                return env_file_get(override, key, ret);

        r = env_file_get("/etc/os-release", key, ret);
        if (r != -ENOENT)
                return r;
        return env_file_get("/usr/lib/os-release", key, ret);
}

int specifier_os_release_field(char specifier, const void *data, const void *userdata, char **ret) {
        int r;

        if (!data)
                return -EINVAL;
        r = os_release_get(data, ret);
        /* A system without os-release is seriously broken: say so with a distinct error. */
        return r == -ENOENT ? -EUNATCH : r;
}

/* ------------------------------------------------------------------------------------------ */
/* Host names                                                                                  */

/* systemd's hostname_is_valid() without flags: dot-separated labels of letters, digits and
 * dashes, no leading dot or dash in a label, no trailing dot or dash, at most 64 bytes. */
static bool hostname_is_valid(const char *s) {
        bool dot = true, hyphen = true;
        const char *p;

        if (isempty(s) || streq(s, ".host"))
                return false;

        for (p = s; *p; p++) {
                if (*p == '.') {
                        if (dot || hyphen)
                                return false;
                        dot = true;
                        hyphen = false;
                } else if (*p == '-') {
                        if (dot)
                                return false;
                        dot = false;
                        hyphen = true;
                } else {
                        if (!strchr(ALPHANUMERICAL, *p))
                                return false;
                        dot = hyphen = false;
                }
        }
        return !dot && !hyphen && p - s <= 64;
}

static char *hostname_default(void) {
        const char *e = secure_getenv("SYSTEMD_DEFAULT_HOSTNAME");
        char *f = NULL;

        if (e && hostname_is_valid(e))
                return strdup(e);
        if (os_release_get("DEFAULT_HOSTNAME", &f) >= 0 && f) {
                if (hostname_is_valid(f))
                        return f;
                free(f);
        }
        return strdup(FALLBACK_HOSTNAME);
}

static int hostname_get(bool short_name, char **ret) {
        _cleanup_free_ char *fallback = NULL;
        struct utsname u;
        const char *s;
        char *r;

        if (uname(&u) < 0)
                return -errno;

        s = u.nodename;
        if (isempty(s) || streq(s, "(none)") || (short_name && s[0] == '.')) {
                s = fallback = hostname_default();
                if (!s)
                        return -ENOMEM;
                if (short_name && s[0] == '.')
                        return -ENXIO;
        }

        r = short_name ? strndup(s, strcspn(s, ".")) : strdup(s);
        if (!r)
                return -ENOMEM;
        *ret = r;
        return 0;
}

int specifier_hostname(char specifier, const void *data, const void *userdata, char **ret) {
        return hostname_get(false, ret);
}

int specifier_short_hostname(char specifier, const void *data, const void *userdata, char **ret) {
        return hostname_get(true, ret);
}

int specifier_pretty_hostname(char specifier, const void *data, const void *userdata, char **ret) {
        char *n = NULL;

        if (env_file_get(data ?: "/etc/machine-info", "PRETTY_HOSTNAME", &n) < 0 || isempty(n)) {
                free(n);
                return hostname_get(true, ret);
        }
        *ret = n;
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Kernel and architecture                                                                     */

int specifier_kernel_release(char specifier, const void *data, const void *userdata, char **ret) {
        struct utsname u;

        if (uname(&u) < 0)
                return -errno;
        return specifier_strdup(u.release, ret);
}

/* uname's machine field → systemd's architecture name. */
static const struct {
        const char *machine;
        const char *arch;
} architecture_map[] = {
        { "x86_64", "x86-64" },
        { "i686", "x86" },
        { "i586", "x86" },
        { "i486", "x86" },
        { "i386", "x86" },
        { "aarch64", "arm64" },
        { "aarch64_be", "arm64-be" },
        { "armv8l", "arm" },
        { "armv8b", "arm-be" },
        { "armv7ml", "arm" },
        { "armv7mb", "arm-be" },
        { "armv7l", "arm" },
        { "armv7b", "arm-be" },
        { "armv6l", "arm" },
        { "armv6b", "arm-be" },
        { "armv5tl", "arm" },
        { "armv5tel", "arm" },
        { "armv5tejl", "arm" },
        { "armv5tejb", "arm-be" },
        { "armv5teb", "arm-be" },
        { "armv5tb", "arm-be" },
        { "armv4tl", "arm" },
        { "armv4tb", "arm-be" },
        { "armv4l", "arm" },
        { "armv4b", "arm-be" },
        { "alpha", "alpha" },
        { "arc", "arc" },
        { "arceb", "arc-be" },
        { "crisv32", "cris" },
        { "ia64", "ia64" },
        { "parisc64", "parisc64" },
        { "parisc", "parisc" },
        { "loongarch64", "loongarch64" },
        { "m68k", "m68k" },
        { "mips64", "mips64" },
        { "mips", "mips" },
        { "nios2", "nios2" },
        { "ppc64le", "ppc64-le" },
        { "ppc64", "ppc64" },
        { "ppcle", "ppc-le" },
        { "ppc", "ppc" },
        { "riscv64", "riscv64" },
        { "riscv32", "riscv32" },
        { "s390x", "s390x" },
        { "s390", "s390" },
        { "sh5", "sh64" },
        { "sh4a", "sh" },
        { "sh4", "sh" },
        { "sh3", "sh" },
        { "sh2a", "sh" },
        { "sh2", "sh" },
        { "sparc64", "sparc64" },
        { "sparc", "sparc" },
        { "tilegx", "tilegx" },
#if __SIZEOF_POINTER__ == 4
        { "riscv", "riscv32" },
#else
        { "riscv", "riscv64" },
#endif
};

int specifier_architecture(char specifier, const void *data, const void *userdata, char **ret) {
        struct utsname u;

        if (uname(&u) < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(architecture_map); i++)
                if (streq(architecture_map[i].machine, u.machine))
                        return specifier_strdup(architecture_map[i].arch, ret);
        return -EOPNOTSUPP;
}

/* ------------------------------------------------------------------------------------------ */
/* Users                                                                                       */

static bool synthesize_nobody(void) {
        return access("/etc/systemd/dont-synthesize-nobody", F_OK) < 0;
}

static uid_t specifier_uid(const void *data) {
        return (uintptr_t) data == SPECIFIER_CREDS_ROOT ? 0 : getuid();
}

static gid_t specifier_gid(const void *data) {
        return (uintptr_t) data == SPECIFIER_CREDS_ROOT ? 0 : getgid();
}

/* A name from the user or group database via *_r calls; NULL (not an error) if there is none. */
static int user_db_name(bool group, unsigned id, char **ret) {
        long size = sysconf(group ? _SC_GETGR_R_SIZE_MAX : _SC_GETPW_R_SIZE_MAX);

        for (size = size > 0 ? size : 4096;; size *= 2) {
                _cleanup_free_ char *buf = malloc((size_t) size);
                struct passwd pw, *pwp = NULL;
                struct group gr, *grp = NULL;
                int r;

                if (!buf)
                        return -ENOMEM;
                if (group)
                        r = getgrgid_r((gid_t) id, &gr, buf, (size_t) size, &grp);
                else
                        r = getpwuid_r((uid_t) id, &pw, buf, (size_t) size, &pwp);
                if (r == 0 && (pwp || grp))
                        return specifier_strdup(group ? grp->gr_name : pwp->pw_name, ret);
                if (r != ERANGE || size > LONG_MAX / 2) {
                        *ret = NULL;
                        return 0;
                }
        }
}

/* uid_to_name()/gid_to_name(): "root" and "nobody"/"nogroup" without NSS, else the database,
 * else the number. */
static int id_to_name(bool group, unsigned id, char **ret) {
        int r;

        if (id == 0)
                return specifier_strdup("root", ret);
        if (id == 65534 && synthesize_nobody())
                return specifier_strdup(group ? "nogroup" : "nobody", ret);
        /* (uid_t) -1 and the 16-bit -1 are placeholders, never looked up. */
        if (id != (unsigned) -1 && id != 65535) {
                r = user_db_name(group, id, ret);
                if (r < 0 || *ret)
                        return r;
        }
        return asprintf_safe(ret, "%u", id);
}

int specifier_user_name(char specifier, const void *data, const void *userdata, char **ret) {
        return id_to_name(false, specifier_uid(data), ret);
}

int specifier_user_id(char specifier, const void *data, const void *userdata, char **ret) {
        return asprintf_safe(ret, "%u", (unsigned) specifier_uid(data));
}

int specifier_group_name(char specifier, const void *data, const void *userdata, char **ret) {
        return id_to_name(true, specifier_gid(data), ret);
}

int specifier_group_id(char specifier, const void *data, const void *userdata, char **ret) {
        return asprintf_safe(ret, "%u", (unsigned) specifier_gid(data));
}

static int specifier_simplified_path(const char *p, char **ret) {
        char *c = strdup(p);
        if (!c)
                return -ENOMEM;
        *ret = path_simplify(c);
        return 0;
}

static const char *default_root_shell(void) {
        /* Debian builds systemd with DEFAULT_USER_SHELL=/bin/bash, used only if it exists. */
        return access(DEFAULT_USER_SHELL, F_OK) >= 0 ? DEFAULT_USER_SHELL : "/bin/sh";
}

/* get_home_dir()/get_shell(): the environment variable, root and nobody without NSS, else the
 * passwd entry. */
static int user_path(const char *env, bool shell, char **ret) {
        const char *e = secure_getenv(env);
        struct passwd *pw;
        uid_t u;

        if (e && path_is_valid(e) && path_is_absolute(e))
                return specifier_simplified_path(e, ret);

        u = getuid();
        if (u == 0)
                return specifier_simplified_path(shell ? default_root_shell() : "/root", ret);
        if (u == UID_NOBODY && synthesize_nobody())
                return specifier_simplified_path(shell ? NOLOGIN : "/", ret);

        errno = 0;
        pw = getpwuid(u);
        if (!pw)
                return errno > 0 ? -errno : -ESRCH;
        e = shell ? pw->pw_shell : pw->pw_dir;
        if (!path_is_valid(e) || !path_is_absolute(e))
                return -EINVAL;
        return specifier_simplified_path(e, ret);
}

int specifier_user_home(char specifier, const void *data, const void *userdata, char **ret) {
        return user_path("HOME", false, ret);
}

int specifier_user_shell(char specifier, const void *data, const void *userdata, char **ret) {
        return user_path("SHELL", true, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* Temporary directories                                                                       */

static int is_dir(const char *path) {
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        return S_ISDIR(st.st_mode);
}

/* The first of $TMPDIR, $TEMP, $TMP that names an existing directory by an absolute,
 * normalized path; else def if that is a directory. The error of the first rejected variable
 * is returned only when def is unusable too. */
static int tmp_dir_get(const char *def, char **ret) {
        int first_error = 0, r;
        const char *n;

        FOREACH_STRING (n, "TMPDIR", "TEMP", "TMP") {
                const char *e = secure_getenv(n);

                if (!e)
                        continue;
                if (!path_is_absolute(e))
                        r = -ENOTDIR;
                else if (!path_is_normalized(e))
                        r = -EPERM;
                else {
                        r = is_dir(e);
                        if (r > 0)
                                return specifier_strdup(e, ret);
                        if (r == 0)
                                r = -ENOTDIR;
                }
                if (first_error == 0)
                        first_error = r;
        }

        r = is_dir(def);
        if (r == 0)
                r = -ENOTDIR;
        if (r < 0)
                return first_error < 0 ? first_error : r;
        return specifier_strdup(def, ret);
}

int specifier_tmp_dir(char specifier, const void *data, const void *userdata, char **ret) {
        return tmp_dir_get("/tmp", ret);
}

int specifier_var_tmp_dir(char specifier, const void *data, const void *userdata, char **ret) {
        return tmp_dir_get("/var/tmp", ret);
}

const Specifier specifier_system_and_tmp_table[] = {
        SPECIFIER_SYSTEM_ENTRIES,
        SPECIFIER_TMP_ENTRIES,
        {},
};
