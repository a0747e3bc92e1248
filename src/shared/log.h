/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * log.h: logging for every sysmaster binary. Messages go to one target: stderr, the console
 * (/dev/console), the kernel log (/dev/kmsg), "auto" (kmsg when PID 1 or when stderr is not
 * usable, else stderr) or nowhere. The maximum level and the target follow systemd's
 * environment variables SYSTEMD_LOG_LEVEL and SYSTEMD_LOG_TARGET (and sysmaster's own
 * SYSMASTER_LOG_LEVEL / SYSMASTER_LOG_TARGET, which win).
 *
 * The log_*_errno() macros return the negative errno they were given, so that
 *         return log_error_errno(r, "Failed to load %s: %m", path);
 * logs and propagates in one statement; "%m" prints strerror of that error.
 *
 * Code in src/shared logs at debug level only; daemons decide and log at higher levels.
 */

#include <stdarg.h>
#include <syslog.h>

#include "macro.h"

typedef enum LogTarget {
        LOG_TARGET_STDERR,
        LOG_TARGET_CONSOLE,
        LOG_TARGET_KMSG,
        LOG_TARGET_AUTO,
        LOG_TARGET_NULL,
        _LOG_TARGET_MAX,
        _LOG_TARGET_INVALID = -EINVAL,
} LogTarget;

/* A sink receives every message that passes the level filter instead of the target (tests use
 * it to assert what a user would see). userdata is borrowed. */
typedef void (*LogSink)(int level, const char *message, void *userdata);

void log_set_max_level(int level);
int log_get_max_level(void);
void log_set_target(LogTarget target);
LogTarget log_get_target(void);
void log_set_sink(LogSink sink, void *userdata);

/* "debug", "info", ... "emerg" or a number 0..7. Returns the level or -EINVAL. */
int log_level_from_string(const char *s);
const char *log_level_to_string(int level);
LogTarget log_target_from_string(const char *s);
const char *log_target_to_string(LogTarget t);

/* Everything the functions above set, and the fds opened lazily. For a process that shares its
 * memory with a short-lived one (vfork semantics) which changes the logging setup: save before,
 * restore after. Restoring does not close the fds the other process opened (they are its). */
typedef struct LogState {
        int max_level;
        LogTarget target;
        LogSink sink;
        void *sink_userdata;
        int console_fd, kmsg_fd;
} LogState;
void log_state_save(LogState *ret);
void log_state_restore(const LogState *state);

/* Reads SYSTEMD_LOG_LEVEL/TARGET (then SYSMASTER_LOG_LEVEL/TARGET). Bad values are ignored. */
void log_parse_environment(void);
/* Closes fds opened for console/kmsg; logging still works afterwards (reopens lazily). */
void log_close(void);

/* Formats and emits one message. error may be 0 or an errno of either sign; %m prints it.
 * Returns -abs(error) (0 if error is 0). */
int log_internal(int level, int error, const char *file, int line, const char *func,
                 const char *format, ...) _printf_(6, 7);
int log_internalv(int level, int error, const char *file, int line, const char *func,
                  const char *format, va_list ap) _printf_(6, 0);

/* A message about a configuration file, prefixed "FILE:LINE: " as systemd does (no line
 * number when line is 0). unit may be NULL; it is added as a "UNIT=" field for the journal
 * target only, so it is currently just informational. Returns -abs(error). */
int log_syntax_internal(const char *unit, int level, const char *config_file, unsigned config_line,
                        int error, const char *file, int line, const char *func,
                        const char *format, ...) _printf_(9, 10);

#define log_full_errno(level, error, ...) \
        log_internal((level), (error), __FILE__, __LINE__, __func__, __VA_ARGS__)
#define log_full(level, ...) ((void) log_full_errno((level), 0, __VA_ARGS__))

#define log_debug(...) log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...) log_full(LOG_ERR, __VA_ARGS__)
#define log_emergency(...) log_full(LOG_EMERG, __VA_ARGS__)

#define log_debug_errno(e, ...) log_full_errno(LOG_DEBUG, e, __VA_ARGS__)
#define log_info_errno(e, ...) log_full_errno(LOG_INFO, e, __VA_ARGS__)
#define log_notice_errno(e, ...) log_full_errno(LOG_NOTICE, e, __VA_ARGS__)
#define log_warning_errno(e, ...) log_full_errno(LOG_WARNING, e, __VA_ARGS__)
#define log_error_errno(e, ...) log_full_errno(LOG_ERR, e, __VA_ARGS__)

#define log_oom() log_error_errno(-ENOMEM, "Out of memory.")
#define log_oom_debug() log_debug_errno(-ENOMEM, "Out of memory.")

#define log_syntax(unit, level, config_file, config_line, error, ...)                       \
        log_syntax_internal((unit), (level), (config_file), (config_line), (error), __FILE__, \
                            __LINE__, __func__, __VA_ARGS__)
