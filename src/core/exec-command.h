/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-command.h: Exec*= command lines (spec unit-files.md §8.5): the prefixes -@:+! and !!,
 * several commands separated by a lone ";", "\;" as a literal argument, quoting and C escapes,
 * specifier expansion (path variant for the binary, full for the arguments). A list of commands
 * is a singly linked list owned by its head.
 */

#include "macro.h"

typedef struct Unit Unit;

typedef enum ExecCommandFlags {
        EXEC_COMMAND_IGNORE_FAILURE = 1 << 0, /* "-" */
        EXEC_COMMAND_FULLY_PRIVILEGED = 1 << 1, /* "+" */
        EXEC_COMMAND_NO_SETUID = 1 << 2,      /* "!" */
        EXEC_COMMAND_AMBIENT_MAGIC = 1 << 3,  /* "!!" */
        EXEC_COMMAND_NO_ENV_EXPAND = 1 << 4,  /* ":" */
} ExecCommandFlags;

typedef struct ExecCommand {
        char *path;   /* absolute, or a plain file name resolved at spawn time */
        char **argv;  /* argv[0] included */
        ExecCommandFlags flags;
        struct ExecCommand *next;
} ExecCommand;

ExecCommand *exec_command_free_list(ExecCommand *c);
size_t exec_command_list_length(const ExecCommand *c);

/* Parses one Exec*= value for unit u and appends the commands to *list; an empty value empties
 * the list. Problems are logged with file:line. Returns 0 (also when a "-" command was dropped
 * with a warning), or -ENOEXEC for a fatal setting error (the unit becomes bad-setting), or
 * -ENOMEM. */
int exec_command_parse(Unit *u, const char *filename, unsigned line, const char *value,
                       ExecCommand **list);

/* The command line as systemctl prints it inside "argv[]=": words joined by spaces. */
char *exec_command_argv_string(const ExecCommand *c);
