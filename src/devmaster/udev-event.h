/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-event.h: one event being processed by the rules (what UdevEvent is to udevd 252): the
 * device, its old database record, the parent the last parent block matched, the PROGRAM
 * result, the NAME, OWNER/GROUP/MODE with their ':=' locks, SECLABELs, the RUN list, the
 * inotify watch flag and the event's deadline. Also the '%'/'$' substitution formatter and the
 * program spawner with timeouts that rules and RUN use.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "device.h"
#include "hashmap.h"
#include "time-base.h"
#include "udev-rules.h"

/* Characters udev keeps in PROGRAM results and $attr{} values (others become '_'). */
#define UDEV_ALLOWED_CHARS_INPUT "/ $%?,"

typedef enum UdevEscapeType {
        UDEV_ESCAPE_UNSET,
        UDEV_ESCAPE_NONE, /* OPTIONS+="string_escape=none" */
        UDEV_ESCAPE_REPLACE, /* OPTIONS+="string_escape=replace" */
} UdevEscapeType;

typedef struct UdevRunEntry {
        char *command;
        UdevRulesBuiltin builtin; /* _UDEV_RULES_BUILTIN_INVALID for a program */
} UdevRunEntry;

typedef struct UdevEvent {
        Device *dev; /* reference */
        Device *dev_parent; /* borrowed: the device the last parent block matched, or NULL */
        Device *dev_db_clone; /* reference: the device with its old database record, or NULL */
        char *program_result;
        char *name; /* NAME= */
        uid_t uid; /* UID_INVALID: not set */
        gid_t gid;
        mode_t mode; /* UDEV_RULES_MODE_INVALID: not set */
        char **seclabels; /* pairs: module, label */
        UdevRunEntry *run;
        size_t n_run;
        Hashmap *global_properties; /* borrowed, may be NULL: udevd's SET_ENV properties */
        UdevEscapeType esc;
        /* TAG="" as udev 252 accepts it: an empty current tag (the Device refuses empty tags,
         * so the engine keeps it here; TAG/TAGS matches see it). */
        bool empty_tag;
        bool inotify_watch, inotify_watch_final;
        bool name_final, devlink_final, owner_final, group_final, mode_final, run_final;
        unsigned builtin_run, builtin_ret; /* bit masks per UdevRulesBuiltin */
        usec_t birth_usec; /* CLOCK_MONOTONIC */
        usec_t timeout_usec; /* for programs, counted from birth; 0: none */
        int timeout_signal; /* sent at the timeout (SIGKILL) */
        usec_t exec_delay_usec; /* udevd --exec-delay=: wait before each RUN program; 0: none */
        /* Called after the rules, before the node and links (the daemon renames network
         * interfaces here, udev-netif.h); NULL: nothing (test-udev). A negative return fails
         * the event. */
        int (*after_rules)(struct UdevEvent *e);
        /* Where the pid of the program being run is published while it runs (0 otherwise), in
         * memory the daemon shares with the worker; NULL: nowhere. */
        pid_t *program_pid;
        int default_log_level;
        bool log_level_was_debug;
} UdevEvent;

/* A new event for dev (a new reference is taken). NULL on OOM. */
UdevEvent *udev_event_new(Device *dev, usec_t timeout_usec, int timeout_signal);
UdevEvent *udev_event_free(UdevEvent *e);
DEFINE_TRIVIAL_CLEANUP_FUNC(UdevEvent *, udev_event_free);

/* Appends a command to the RUN list; an identical command is stored once. */
int udev_event_add_run(UdevEvent *e, const char *command, UdevRulesBuiltin builtin);
void udev_event_clear_run(UdevEvent *e);
/* Sets (op ASSIGN: after clearing the list) SECLABEL{module}=label. */
int udev_event_add_seclabel(UdevEvent *e, const char *module, const char *label, bool clear);

/* Expands the '%'/'$' substitutions of src into dest (size bytes, NUL-terminated), udev 252's
 * way: unknown '$word'/'%x' are copied as written, a malformed '{…}' stops the expansion with
 * a warning. With replace_whitespace every substituted value (except the PROGRAM result) has
 * its whitespace runs turned into '_' and trimmed. *ret_truncated says whether dest was too
 * small. Returns the length written. */
size_t udev_event_apply_format(UdevEvent *e, const char *src, char *dest, size_t size,
                               bool replace_whitespace, bool *ret_truncated);

/* Runs cmd (split like a shell line, unquoted; a relative argv[0] is taken from /lib/udev) with
 * the device's properties as environment. stdout goes to result (ressize bytes, NUL-terminated;
 * *ret_truncated when it did not fit) when result is given, stderr is logged at debug. The
 * program is killed with the event's timeout_signal at the event deadline. Returns 0 on exit
 * status 0, a positive value when the program failed or was killed, a negative errno when it
 * could not be run. */
int udev_event_spawn(UdevEvent *e, bool accept_failure, const char *cmd, char *result,
                     size_t ressize, bool *ret_truncated);

/* Executes the RUN list: builtins, then programs, in order, failures only logged. */
void udev_event_execute_run(UdevEvent *e);

/* String helpers of udev, shared with the rules engine. */
/* Replaces each character not in [0-9A-Za-z#+-.:=@_] nor in allow, and that is neither part of
 * a "\x" escape nor valid multi-byte UTF-8, by '_' (whitespace by ' ' if allow has ' ').
 * Returns the number of replaced characters. */
size_t udev_replace_chars(char *str, const char *allow);
/* Copies at most len chars of str to to, trimming whitespace and turning inner whitespace runs
 * into one '_'; to may equal str. Returns the new length. */
size_t udev_replace_whitespace(const char *str, char *to, size_t len);
/* "[subsystem/sysname]attr": with read_value, the attribute's value (empty when absent),
 * otherwise the attribute's path below the device's syspath. -EINVAL for another format. */
int udev_resolve_subsys_kernel(const char *string, char *result, size_t maxsize, bool read_value);
/* Strips trailing whitespace in place. */
void udev_strip_trailing_whitespace(char *s);
