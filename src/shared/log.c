/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.c: the process-wide logger. State is a handful of statics (level, target, sink, the
 * console and kmsg fds); a message is formatted into a stack buffer and written with one
 * write()/writev(), so logging never allocates and is safe to use in PID 1.
 */

#include <fcntl.h>
#include <stdio.h>
#include <strings.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX 2048

static int max_level = LOG_INFO;
static LogTarget target = LOG_TARGET_STDERR;
static LogSink sink;
static void *sink_userdata;
static int console_fd = -1;
static int kmsg_fd = -1;

static const char *const level_names[] = {
        [LOG_EMERG] = "emerg",     [LOG_ALERT] = "alert",   [LOG_CRIT] = "crit",
        [LOG_ERR] = "err",         [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
        [LOG_INFO] = "info",       [LOG_DEBUG] = "debug",
};

static const char *const target_names[_LOG_TARGET_MAX] = {
        [LOG_TARGET_STDERR] = "stderr", [LOG_TARGET_CONSOLE] = "console",
        [LOG_TARGET_KMSG] = "kmsg",     [LOG_TARGET_AUTO] = "auto",
        [LOG_TARGET_NULL] = "null",
};

void log_set_max_level(int level) {
        if (level >= LOG_EMERG && level <= LOG_DEBUG)
                max_level = level;
}

int log_get_max_level(void) {
        return max_level;
}

void log_set_target(LogTarget t) {
        if (t >= 0 && t < _LOG_TARGET_MAX)
                target = t;
}

LogTarget log_get_target(void) {
        return target;
}

void log_set_sink(LogSink s, void *userdata) {
        sink = s;
        sink_userdata = userdata;
}

int log_level_from_string(const char *s) {
        if (!s || !*s)
                return -EINVAL;
        if (s[0] >= '0' && s[0] <= '7' && s[1] == 0)
                return s[0] - '0';
        for (size_t i = 0; i < ELEMENTSOF(level_names); i++)
                if (strcasecmp(s, level_names[i]) == 0)
                        return (int) i;
        if (strcasecmp(s, "error") == 0)
                return LOG_ERR;
        if (strcasecmp(s, "emergency") == 0)
                return LOG_EMERG;
        return -EINVAL;
}

const char *log_level_to_string(int level) {
        if (level < 0 || (size_t) level >= ELEMENTSOF(level_names))
                return NULL;
        return level_names[level];
}

LogTarget log_target_from_string(const char *s) {
        if (!s)
                return _LOG_TARGET_INVALID;
        for (int i = 0; i < _LOG_TARGET_MAX; i++)
                if (strcmp(s, target_names[i]) == 0)
                        return (LogTarget) i;
        /* systemd's other names: the journal is not ours; map it to what is closest. */
        if (strcmp(s, "journal") == 0 || strcmp(s, "syslog") == 0 ||
            strcmp(s, "journal-or-kmsg") == 0 || strcmp(s, "syslog-or-kmsg") == 0)
                return LOG_TARGET_AUTO;
        return _LOG_TARGET_INVALID;
}

const char *log_target_to_string(LogTarget t) {
        if (t < 0 || t >= _LOG_TARGET_MAX)
                return NULL;
        return target_names[t];
}

static void parse_env_pair(const char *level_var, const char *target_var) {
        const char *e;
        int r;

        e = getenv(level_var);
        if (e && (r = log_level_from_string(e)) >= 0)
                log_set_max_level(r);
        e = getenv(target_var);
        if (e) {
                LogTarget t = log_target_from_string(e);
                if (t >= 0)
                        log_set_target(t);
        }
}

void log_parse_environment(void) {
        parse_env_pair("SYSTEMD_LOG_LEVEL", "SYSTEMD_LOG_TARGET");
        parse_env_pair("SYSMASTER_LOG_LEVEL", "SYSMASTER_LOG_TARGET");
}

void log_state_save(LogState *ret) {
        *ret = (LogState) {
                .max_level = max_level, .target = target, .sink = sink, .sink_userdata = sink_userdata,
                .console_fd = console_fd, .kmsg_fd = kmsg_fd,
        };
}

void log_state_restore(const LogState *state) {
        max_level = state->max_level;
        target = state->target;
        sink = state->sink;
        sink_userdata = state->sink_userdata;
        console_fd = state->console_fd;
        kmsg_fd = state->kmsg_fd;
}

void log_close(void) {
        if (console_fd >= 0)
                close(console_fd);
        if (kmsg_fd >= 0)
                close(kmsg_fd);
        console_fd = kmsg_fd = -1;
}

static int open_lazily(int *fd, const char *path) {
        if (*fd < 0)
                *fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        return *fd;
}

static void write_all(int fd, const char *a, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, a, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return;
                }
                a += k;
                n -= (size_t) k;
        }
}

static void emit(int level, const char *msg) {
        LogTarget t = target;
        char buf[LOG_LINE_MAX + 64];
        int n;

        if (t == LOG_TARGET_AUTO)
                t = getpid() == 1 ? LOG_TARGET_KMSG : LOG_TARGET_STDERR;

        switch (t) {
        case LOG_TARGET_KMSG:
                /* <prio>ident: message; the kernel adds the timestamp. */
                n = snprintf(buf, sizeof buf, "<%d>%s[%d]: %s\n", LOG_DAEMON | level,
                             program_invocation_short_name, (int) getpid(), msg);
                if (open_lazily(&kmsg_fd, "/dev/kmsg") >= 0) {
                        write_all(kmsg_fd, buf, (size_t) MIN(n, (int) sizeof buf - 1));
                        return;
                }
                break; /* fall back to stderr */
        case LOG_TARGET_CONSOLE:
                n = snprintf(buf, sizeof buf, "%s\n", msg);
                if (open_lazily(&console_fd, "/dev/console") >= 0) {
                        write_all(console_fd, buf, (size_t) MIN(n, (int) sizeof buf - 1));
                        return;
                }
                break;
        case LOG_TARGET_NULL:
                return;
        default:
                break;
        }
        n = snprintf(buf, sizeof buf, "%s\n", msg);
        write_all(STDERR_FILENO, buf, (size_t) MIN(n, (int) sizeof buf - 1));
}

int log_internalv(int level, int error, const char *file, int line, const char *func,
                  const char *format, va_list ap) {
        char msg[LOG_LINE_MAX];
        int saved_errno = errno;

        if (error < 0)
                error = -error;
        if ((level & LOG_PRIMASK) > max_level) {
                errno = saved_errno;
                return -error;
        }
        errno = error; /* for %m */
        vsnprintf(msg, sizeof msg, format, ap);
        if (sink)
                sink(level & LOG_PRIMASK, msg, sink_userdata);
        else
                emit(level & LOG_PRIMASK, msg);
        errno = saved_errno;
        return -error;
}

int log_internal(int level, int error, const char *file, int line, const char *func,
                 const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = log_internalv(level, error, file, line, func, format, ap);
        va_end(ap);
        return r;
}

int log_syntax_internal(const char *unit, int level, const char *config_file, unsigned config_line,
                        int error, const char *file, int line, const char *func,
                        const char *format, ...) {
        char msg[LOG_LINE_MAX];
        va_list ap;
        int saved_errno = errno;

        if (error < 0)
                error = -error;
        if ((level & LOG_PRIMASK) > max_level)
                return -error;
        errno = error;
        va_start(ap, format);
        vsnprintf(msg, sizeof msg, format, ap);
        va_end(ap);
        errno = saved_errno;
        if (!config_file)
                return log_internal(level, error, file, line, func, "%s", msg);
        if (config_line > 0)
                return log_internal(level, error, file, line, func, "%s:%u: %s", config_file,
                                    config_line, msg);
        return log_internal(level, error, file, line, func, "%s: %s", config_file, msg);
}
