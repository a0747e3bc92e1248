/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-event.c: the per-event state, the substitution formatter and the program spawner of
 * the rules engine (see udev-event.h). Formats follow udev 252: the long "$name" forms and the
 * short "%x" forms, "{…}" arguments, "$$"/"%%" literals, udev's character replacement.
 */

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "spawn-util.h"
#include "string-util.h"
#include "strv.h"
#include "udev-builtin.h"
#include "udev-event.h"

#define UDEV_LIBEXEC_DIR "/lib/udev"
#define WHITESPACE_CHARS " \t\n\r"

UdevEvent *udev_event_new(Device *dev, usec_t timeout_usec, int timeout_signal) {
        UdevEvent *e = new0(UdevEvent, 1);

        if (!e)
                return NULL;
        e->dev = device_ref(dev);
        e->uid = UID_INVALID;
        e->gid = GID_INVALID;
        e->mode = UDEV_RULES_MODE_INVALID;
        e->birth_usec = now(CLOCK_MONOTONIC);
        e->timeout_usec = timeout_usec;
        e->timeout_signal = timeout_signal > 0 ? timeout_signal : SIGKILL;
        e->default_log_level = log_get_max_level();
        e->log_level_was_debug = e->default_log_level >= LOG_DEBUG;
        return e;
}

void udev_event_clear_run(UdevEvent *e) {
        for (size_t i = 0; i < e->n_run; i++)
                free(e->run[i].command);
        e->run = mfree(e->run);
        e->n_run = 0;
}

UdevEvent *udev_event_free(UdevEvent *e) {
        if (!e)
                return NULL;
        device_unref(e->dev);
        device_unref(e->dev_db_clone);
        free(e->program_result);
        free(e->name);
        strv_free(e->seclabels);
        udev_event_clear_run(e);
        free(e);
        return NULL;
}

int udev_event_add_run(UdevEvent *e, const char *command, UdevRulesBuiltin builtin) {
        UdevRunEntry *n;
        char *c;

        for (size_t i = 0; i < e->n_run; i++)
                if (streq(e->run[i].command, command))
                        return 0;
        c = strdup(command);
        if (!c)
                return -ENOMEM;
        n = reallocarray(e->run, e->n_run + 1, sizeof(UdevRunEntry));
        if (!n) {
                free(c);
                return -ENOMEM;
        }
        e->run = n;
        e->run[e->n_run++] = (UdevRunEntry) { .command = c, .builtin = builtin };
        return 1;
}

int udev_event_add_seclabel(UdevEvent *e, const char *module, const char *label, bool clear) {
        if (clear)
                e->seclabels = strv_free(e->seclabels);
        for (size_t i = 0; e->seclabels && e->seclabels[i]; i += 2)
                if (streq(e->seclabels[i], module))
                        return 0; /* the first assignment stays, as an ordered hashmap put */
        if (strv_extend(&e->seclabels, module) < 0 || strv_extend(&e->seclabels, label) < 0)
                return -ENOMEM;
        return 1;
}

/* ---- string helpers ---- */

static bool allowed_devnode_char(char c, const char *allow) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c != '\0' && strchr("#+-.:=@_", c)) || (allow && c != '\0' && strchr(allow, c));
}

size_t udev_replace_chars(char *str, const char *allow) {
        size_t i = 0, replaced = 0;

        while (str[i] != '\0') {
                int len;

                if (allowed_devnode_char(str[i], allow)) {
                        i++;
                        continue;
                }
                if (str[i] == '\\' && str[i + 1] == 'x') {
                        i += 2;
                        continue;
                }
                len = utf8_encoded_valid_unichar(str + i, SIZE_MAX);
                if (len > 1) {
                        i += len;
                        continue;
                }
                if (isspace((unsigned char) str[i]) && allow && strchr(allow, ' '))
                        str[i] = ' ';
                else
                        str[i] = '_';
                i++;
                replaced++;
        }
        return replaced;
}

size_t udev_replace_whitespace(const char *str, char *to, size_t len) {
        bool is_space = false;
        size_t i, j;

        i = strspn(str, WHITESPACE_CHARS);
        for (j = 0; j < len && i < len && str[i] != '\0'; i++) {
                if (isspace((unsigned char) str[i])) {
                        is_space = true;
                        continue;
                }
                if (is_space) {
                        if (j + 1 >= len)
                                break;
                        to[j++] = '_';
                        is_space = false;
                }
                to[j++] = str[i];
        }
        to[j] = '\0';
        return j;
}

void udev_strip_trailing_whitespace(char *s) {
        size_t n = strlen(s);

        while (n > 0 && strchr(WHITESPACE_CHARS, s[n - 1]))
                s[--n] = '\0';
}

static void copy_bounded(char *dest, size_t size, const char *src) {
        size_t n = strlen(src);

        if (size == 0)
                return;
        if (n >= size)
                n = size - 1;
        memcpy(dest, src, n);
        dest[n] = '\0';
}

int udev_resolve_subsys_kernel(const char *string, char *result, size_t maxsize, bool read_value) {
        _cleanup_device_unref_ Device *dev = NULL;
        _cleanup_free_ char *temp = NULL;
        char *subsys, *sysname, *attr;
        const char *val;
        int r;

        if (string[0] != '[')
                return -EINVAL;
        temp = strdup(string);
        if (!temp)
                return -ENOMEM;
        subsys = temp + 1;
        sysname = strchr(subsys, '/');
        if (!sysname)
                return -EINVAL;
        *sysname++ = '\0';
        attr = strchr(sysname, ']');
        if (!attr)
                return -EINVAL;
        *attr++ = '\0';
        if (attr[0] == '/')
                attr++;
        if (attr[0] == '\0')
                attr = NULL;
        if (read_value && !attr)
                return -EINVAL;

        r = device_new_from_subsystem_sysname(&dev, subsys, sysname);
        if (r < 0)
                return r;
        if (read_value) {
                r = device_get_sysattr_value(dev, attr, &val);
                if (r < 0 && !IN_SET(r, -EPERM, -EACCES, -ENOENT))
                        return r;
                copy_bounded(result, maxsize, r >= 0 ? val : "");
        } else {
                _cleanup_free_ char *p = NULL;

                r = device_get_syspath(dev, &val);
                if (r < 0)
                        return r;
                p = attr ? strjoin(val, "/", attr) : strdup(val);
                if (!p)
                        return -ENOMEM;
                copy_bounded(result, maxsize, p);
        }
        return 0;
}

/* ---- substitutions ---- */

typedef enum SubstType {
        SUBST_DEVNODE,
        SUBST_ATTR,
        SUBST_ENV,
        SUBST_KERNEL,
        SUBST_KERNEL_NUMBER,
        SUBST_DRIVER,
        SUBST_DEVPATH,
        SUBST_ID,
        SUBST_MAJOR,
        SUBST_MINOR,
        SUBST_RESULT,
        SUBST_PARENT,
        SUBST_NAME,
        SUBST_LINKS,
        SUBST_ROOT,
        SUBST_SYS,
} SubstType;

static const struct {
        const char *name;
        char fmt;
        SubstType type;
} subst_table[] = {
        { "devnode", 'N', SUBST_DEVNODE },   { "tempnode", 'N', SUBST_DEVNODE },
        { "attr", 's', SUBST_ATTR },         { "sysfs", 's', SUBST_ATTR },
        { "env", 'E', SUBST_ENV },           { "kernel", 'k', SUBST_KERNEL },
        { "number", 'n', SUBST_KERNEL_NUMBER }, { "driver", 'd', SUBST_DRIVER },
        { "devpath", 'p', SUBST_DEVPATH },   { "id", 'b', SUBST_ID },
        { "major", 'M', SUBST_MAJOR },       { "minor", 'm', SUBST_MINOR },
        { "result", 'c', SUBST_RESULT },     { "parent", 'P', SUBST_PARENT },
        { "name", 'D', SUBST_NAME },         { "links", 'L', SUBST_LINKS },
        { "root", 'r', SUBST_ROOT },         { "sys", 'S', SUBST_SYS },
};

/* 1 with the type and attr (in a buffer of UDEV_RULES_PATH_SIZE) and *str advanced; 0 when
 * *str starts with no substitution (a "$$"/"%%" leaves *str at the second character); -EINVAL
 * for a malformed {…}. */
static int parse_subst(const char **str, SubstType *ret_type, size_t *ret_index, char *attr) {
        const char *p = *str, *q = NULL;
        size_t i = 0;

        if (*p == '$') {
                p++;
                if (*p == '$') {
                        *str = p;
                        return 0;
                }
                for (i = 0; i < ELEMENTSOF(subst_table); i++)
                        if ((q = startswith(p, subst_table[i].name)))
                                break;
        } else if (*p == '%') {
                p++;
                if (*p == '%') {
                        *str = p;
                        return 0;
                }
                for (i = 0; i < ELEMENTSOF(subst_table); i++)
                        if (*p == subst_table[i].fmt) {
                                q = p + 1;
                                break;
                        }
        } else
                return 0;
        if (!q)
                return 0;

        if (*q == '{') {
                const char *start = q + 1, *end = strchr(start, '}');
                size_t len;

                if (!end)
                        return -EINVAL;
                len = end - start;
                if (len == 0 || len >= UDEV_RULES_PATH_SIZE)
                        return -EINVAL;
                memcpy(attr, start, len);
                attr[len] = '\0';
                q = end + 1;
        } else
                attr[0] = '\0';

        *str = q;
        *ret_type = subst_table[i].type;
        *ret_index = i;
        return 1;
}

/* Appends len bytes of src at *s with *left bytes of room (including the NUL). */
static void append_n(char **s, size_t *left, const char *src, size_t len, bool *truncated) {
        if (*left == 0) {
                if (len > 0)
                        *truncated = true;
                return;
        }
        if (len >= *left) {
                memcpy(*s, src, *left - 1);
                *s += *left - 1;
                *left = 1;
                *truncated = true;
        } else {
                memcpy(*s, src, len);
                *s += len;
                *left -= len;
        }
        **s = '\0';
}

static void append(char **s, size_t *left, const char *src, bool *truncated) {
        append_n(s, left, src, strlen(src), truncated);
}

static const char *skip_ws(const char *p) {
        return p + strspn(p, WHITESPACE_CHARS);
}

/* Writes one substitution at dest (l bytes of room); returns the length or a negative errno. */
static ssize_t subst_one(UdevEvent *e, SubstType type, const char *attr, char *dest, size_t l,
                         bool *truncated) {
        Device *dev = e->dev, *parent;
        const char *val = NULL;
        char *s = dest;
        size_t left = l;
        int r;

        *dest = '\0';
        switch (type) {
        case SUBST_DEVPATH:
                r = device_get_devpath(dev, &val);
                if (r < 0)
                        return r;
                append(&s, &left, val, truncated);
                break;
        case SUBST_KERNEL:
                r = device_get_sysname(dev, &val);
                if (r < 0)
                        return r;
                append(&s, &left, val, truncated);
                break;
        case SUBST_KERNEL_NUMBER:
                r = device_get_sysnum(dev, &val);
                if (r == -ENOENT)
                        break;
                if (r < 0)
                        return r;
                append(&s, &left, val, truncated);
                break;
        case SUBST_ID:
                if (!e->dev_parent)
                        break;
                r = device_get_sysname(e->dev_parent, &val);
                if (r < 0)
                        return r;
                append(&s, &left, val, truncated);
                break;
        case SUBST_DRIVER:
                if (!e->dev_parent)
                        break;
                r = device_get_driver(e->dev_parent, &val);
                if (r == -ENOENT)
                        break;
                if (r < 0)
                        return r;
                append(&s, &left, val, truncated);
                break;
        case SUBST_MAJOR:
        case SUBST_MINOR: {
                char buf[32];
                dev_t devnum;

                r = device_get_devnum(dev, &devnum);
                if (r < 0 && r != -ENOENT)
                        return r;
                snprintf(buf, sizeof(buf), "%u",
                         r < 0 ? 0u : type == SUBST_MAJOR ? major(devnum) : minor(devnum));
                append(&s, &left, buf, truncated);
                break;
        }
        case SUBST_RESULT: {
                unsigned index = 0;
                bool plus = false;
                const char *p, *start;
                unsigned i;

                if (!e->program_result)
                        break;
                if (!isempty(attr)) {
                        _cleanup_free_ char *num = NULL;
                        const char *end = endswith(attr, "+");

                        plus = end;
                        num = end ? strndup(attr, end - attr) : strdup(attr);
                        if (!num)
                                return -ENOMEM;
                        r = safe_atou(num, &index);
                        if (r < 0)
                                return r;
                }
                if (index == 0) {
                        append(&s, &left, e->program_result, truncated);
                        break;
                }
                p = skip_ws(e->program_result);
                for (i = 1; i < index; i++) {
                        while (*p && !strchr(WHITESPACE_CHARS, *p))
                                p++;
                        p = skip_ws(p);
                        if (*p == '\0')
                                break;
                }
                if (i != index) {
                        log_device_debug(dev, "requested part of result string not found");
                        break;
                }
                start = p;
                if (plus)
                        append(&s, &left, start, truncated);
                else {
                        while (*p && !strchr(WHITESPACE_CHARS, *p))
                                p++;
                        append_n(&s, &left, start, p - start, truncated);
                }
                break;
        }
        case SUBST_ATTR: {
                char vbuf[UDEV_RULES_NAME_SIZE];
                size_t count;

                if (isempty(attr))
                        return -EINVAL;
                vbuf[0] = '\0';
                if (udev_resolve_subsys_kernel(attr, vbuf, sizeof(vbuf), true) == 0)
                        val = vbuf;
                if (!val)
                        (void) device_get_sysattr_value(dev, attr, &val);
                if (!val && e->dev_parent && e->dev_parent != dev)
                        (void) device_get_sysattr_value(e->dev_parent, attr, &val);
                if (!val)
                        break;
                if (val != vbuf) {
                        if (strlen(val) >= sizeof(vbuf))
                                *truncated = true;
                        copy_bounded(vbuf, sizeof(vbuf), val);
                }
                udev_strip_trailing_whitespace(vbuf);
                count = udev_replace_chars(vbuf, UDEV_ALLOWED_CHARS_INPUT);
                if (count > 0)
                        log_device_debug(dev, "%zu character(s) replaced", count);
                append(&s, &left, vbuf, truncated);
                break;
        }
        case SUBST_PARENT:
                r = device_get_parent(dev, &parent);
                if (r == -ENOENT)
                        break;
                if (r < 0)
                        return r;
                r = device_get_devname(parent, &val);
                if (r == -ENOENT)
                        break;
                if (r < 0)
                        return r;
                append(&s, &left, val + strlen("/dev/"), truncated);
                break;
        case SUBST_DEVNODE:
                r = device_get_devname(dev, &val);
                if (r == -ENOENT)
                        break;
                if (r < 0)
                        return r;
                append(&s, &left, val, truncated);
                break;
        case SUBST_NAME:
                if (e->name)
                        append(&s, &left, e->name, truncated);
                else if (device_get_devname(dev, &val) >= 0)
                        append(&s, &left, val + strlen("/dev/"), truncated);
                else {
                        r = device_get_sysname(dev, &val);
                        if (r < 0)
                                return r;
                        append(&s, &left, val, truncated);
                }
                break;
        case SUBST_LINKS: {
                const char *link;

                DEVICE_FOREACH_DEVLINK(dev, link) {
                        if (s != dest)
                                append(&s, &left, " ", truncated);
                        append(&s, &left, link + strlen("/dev/"), truncated);
                        if (*truncated)
                                break;
                }
                break;
        }
        case SUBST_ROOT:
                append(&s, &left, "/dev", truncated);
                break;
        case SUBST_SYS:
                append(&s, &left, "/sys", truncated);
                break;
        case SUBST_ENV:
                if (isempty(attr))
                        return -EINVAL;
                r = device_get_property_value(dev, attr, &val);
                if (r == -ENOENT)
                        break;
                if (r < 0)
                        return r;
                append(&s, &left, val, truncated);
                break;
        }
        return s - dest;
}

size_t udev_event_apply_format(UdevEvent *e, const char *src, char *dest, size_t size,
                               bool replace_whitespace, bool *ret_truncated) {
        char *const start = dest;
        bool truncated = false;
        const char *s = src;

        assert(size > 0);

        while (*s) {
                char attr[UDEV_RULES_PATH_SIZE];
                SubstType type;
                size_t index;
                ssize_t n;
                bool t = false;
                int r;

                r = parse_subst(&s, &type, &index, attr);
                if (r < 0) {
                        log_device_warning_errno(e->dev, r, "Invalid format string, ignoring: %s", src);
                        break;
                }
                if (r == 0) {
                        if (size < 2) {
                                truncated = true;
                                break;
                        }
                        *dest++ = *s++;
                        size--;
                        continue;
                }
                n = subst_one(e, type, attr, dest, size, &t);
                if (n < 0) {
                        errno = (int) -n;
                        log_device_warning_errno(e->dev, (int) n,
                                                 "Failed to substitute variable '$%s' or apply format '%%%c', ignoring: %m",
                                                 subst_table[index].name, subst_table[index].fmt);
                        break;
                }
                truncated = truncated || t;
                if (replace_whitespace && type != SUBST_RESULT)
                        n = udev_replace_whitespace(dest, dest, n);
                dest += n;
                size -= n;
        }
        *dest = '\0';
        if (ret_truncated)
                *ret_truncated = truncated;
        return dest - start;
}

/* ---- spawning programs ---- */

static void log_program_output(Device *dev, const char *cmd, const char *what, char *buf) {
        char *line, *save = NULL;

        for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                log_device_debug(dev, "'%s'(%s) '%s'", cmd, what, line);
}

int udev_event_spawn(UdevEvent *e, bool accept_failure, const char *cmd, char *result,
                     size_t ressize, bool *ret_truncated) {
        _cleanup_strv_free_ char **argv = NULL;
        int outpipe[2] = { -1, -1 }, errpipe[2] = { -1, -1 };
        size_t result_len = 0;
        bool truncated = false;
        char **envp = NULL;
        pid_t pid;
        int r, status, null_fd;

        assert(result || ressize == 0);

        r = strv_split_full(cmd, NULL, EXTRACT_UNQUOTE | EXTRACT_RELAX | EXTRACT_RETAIN_ESCAPE, &argv);
        if (r < 0)
                return log_device_error_errno(e->dev, r, "Failed to split command: %m");
        if (strv_isempty(argv) || isempty(argv[0]))
                return log_device_error_errno(e->dev, -EINVAL, "Invalid command '%s'", cmd);
        if (!path_is_absolute(argv[0])) {
                char *program = path_join(UDEV_LIBEXEC_DIR, argv[0]);

                if (!program)
                        return log_oom();
                free_and_replace_str(&argv[0], program);
        }

        r = device_get_properties_strv(e->dev, &envp);
        if (r < 0)
                return log_device_error_errno(e->dev, r, "Failed to get device properties");

        if (pipe2(outpipe, O_NONBLOCK | O_CLOEXEC) < 0 || pipe2(errpipe, O_NONBLOCK | O_CLOEXEC) < 0) {
                r = -errno;
                safe_close(outpipe[0]);
                safe_close(outpipe[1]);
                return log_device_error_errno(e->dev, r, "Failed to create pipe for command '%s': %m", cmd);
        }

        log_device_debug(e->dev, "Starting '%s'", cmd);

        /* vfork semantics (spawn-util.h): fork() copied the worker's page tables for every
         * program the rules run. The child gets stdin from /dev/null, the pipes as
         * stdout/stderr, no other descriptor, every signal at its default and none blocked. */
        null_fd = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
        r = spawn_program_vfork(argv[0], argv, envp, (const int[3]) { null_fd, outpipe[1], errpipe[1] }, &pid);
        safe_close(null_fd);
        if (r < 0) {
                safe_close(outpipe[0]);
                safe_close(outpipe[1]);
                safe_close(errpipe[0]);
                safe_close(errpipe[1]);
                if (r == -ENOMEM || r == -EAGAIN)
                        return log_device_error_errno(e->dev, r, "Failed to fork() to execute command '%s': %m", cmd);
                /* the program could not be executed: as a child that exited with failure */
                log_device_debug_errno(e->dev, r, "Failed to execute command '%s': %m", cmd);
                log_device_full(e->dev, accept_failure ? LOG_DEBUG : LOG_WARNING,
                                "Process '%s' failed with exit code %i.", cmd, EXIT_FAILURE);
                if (ret_truncated)
                        *ret_truncated = false;
                if (result && ressize > 0)
                        result[0] = '\0';
                return EXIT_FAILURE;
        }

        safe_close(outpipe[1]);
        safe_close(errpipe[1]);
        if (e->program_pid)
                __atomic_store_n(e->program_pid, pid, __ATOMIC_RELAXED);

        {
                char errbuf[4096];
                size_t errlen = 0;
                bool out_open = true, err_open = true, timed_out = false;
                usec_t deadline = e->timeout_usec > 0 ? e->birth_usec + e->timeout_usec : USEC_INFINITY;

                while (out_open || err_open) {
                        struct pollfd pfd[2];
                        int n = 0, timeout_ms = -1;

                        if (out_open)
                                pfd[n++] = (struct pollfd) { .fd = outpipe[0], .events = POLLIN };
                        if (err_open)
                                pfd[n++] = (struct pollfd) { .fd = errpipe[0], .events = POLLIN };
                        if (deadline != USEC_INFINITY) {
                                usec_t t = now(CLOCK_MONOTONIC);

                                if (t >= deadline) {
                                        timed_out = true;
                                        break;
                                }
                                timeout_ms = (int) ((deadline - t + 999) / 1000);
                        }
                        r = poll(pfd, n, timeout_ms);
                        if (r < 0) {
                                if (errno == EINTR)
                                        continue;
                                break;
                        }
                        for (int i = 0; i < n; i++) {
                                bool is_out = pfd[i].fd == outpipe[0];
                                char buf[4096];
                                ssize_t k;

                                if (pfd[i].revents == 0)
                                        continue;
                                k = read(pfd[i].fd, buf, sizeof(buf));
                                if (k < 0 && IN_SET(errno, EAGAIN, EINTR))
                                        continue;
                                if (k <= 0) {
                                        if (is_out)
                                                out_open = false;
                                        else
                                                err_open = false;
                                        continue;
                                }
                                if (is_out && result) {
                                        size_t room = ressize - 1 - result_len;
                                        size_t m = MIN((size_t) k, room);

                                        memcpy(result + result_len, buf, m);
                                        result_len += m;
                                        if ((size_t) k > room)
                                                truncated = true;
                                } else if (!is_out) {
                                        size_t m = MIN((size_t) k, sizeof(errbuf) - 1 - errlen);

                                        memcpy(errbuf + errlen, buf, m);
                                        errlen += m;
                                }
                        }
                }
                safe_close(outpipe[0]);
                safe_close(errpipe[0]);

                if (result) {
                        result[result_len] = '\0';
                        if (log_get_max_level() >= LOG_DEBUG) {
                                _cleanup_free_ char *copy = strdup(result);

                                if (copy)
                                        log_program_output(e->dev, cmd, "out", copy);
                        }
                }
                errbuf[errlen] = '\0';
                if (errlen > 0)
                        log_program_output(e->dev, cmd, "err", errbuf);

                if (timed_out) {
                        log_device_error(e->dev, "Spawned process '%s' [%d] timed out after %s, killing",
                                         cmd, (int) pid, "the event timeout");
                        (void) kill(pid, e->timeout_signal);
                }
        }

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        r = -errno;
                        if (e->program_pid)
                                __atomic_store_n(e->program_pid, 0, __ATOMIC_RELAXED);
                        return log_device_error_errno(e->dev, r, "Failed to wait for spawned command '%s': %m", cmd);
                }
        if (e->program_pid)
                __atomic_store_n(e->program_pid, 0, __ATOMIC_RELAXED);

        if (ret_truncated)
                *ret_truncated = truncated;

        if (WIFEXITED(status)) {
                if (WEXITSTATUS(status) == 0) {
                        log_device_debug(e->dev, "Process '%s' succeeded.", cmd);
                        return 0;
                }
                log_device_full(e->dev, accept_failure ? LOG_DEBUG : LOG_WARNING,
                                "Process '%s' failed with exit code %i.", cmd, WEXITSTATUS(status));
                return WEXITSTATUS(status);
        }
        if (WIFSIGNALED(status)) {
                log_device_warning(e->dev, "Process '%s' terminated by signal %s.", cmd,
                                   strsignal(WTERMSIG(status)));
                return 128 + WTERMSIG(status);
        }
        return 1;
}

void udev_event_execute_run(UdevEvent *e) {
        for (size_t i = 0; i < e->n_run; i++) {
                const UdevRunEntry *x = &e->run[i];
                int r;

                if (x->builtin >= 0) {
                        log_device_debug(e->dev, "Running built-in command \"%s\"", x->command);
                        r = udev_builtin_run(e->dev, x->builtin, x->command, false);
                        if (r < 0)
                                log_device_debug_errno(e->dev, r, "Failed to run built-in command \"%s\", ignoring: %m",
                                                       x->command);
                        continue;
                }
                if (e->exec_delay_usec > 0) {
                        log_device_debug(e->dev, "Delaying execution of \"%s\" for %" PRIu64 " us.",
                                         x->command, (uint64_t) e->exec_delay_usec);
                        (void) nanosleep(&(struct timespec) { .tv_sec = e->exec_delay_usec / USEC_PER_SEC,
                                                              .tv_nsec = (e->exec_delay_usec % USEC_PER_SEC) * 1000 },
                                         NULL);
                }
                log_device_debug(e->dev, "Running command \"%s\"", x->command);
                r = udev_event_spawn(e, false, x->command, NULL, 0, NULL);
                if (r < 0)
                        log_device_warning_errno(e->dev, r, "Failed to execute '%s', ignoring: %m", x->command);
                else if (r > 0)
                        log_device_debug(e->dev, "Command \"%s\" returned %d (error), ignoring.", x->command, r);
        }
}
