/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-wire.h: what the manager hands to the exec helper (sysmaster-executor) for one process:
 * the command, the unit's ExecContext and the per-run facts (ExecRun), encoded as a flat list
 * of records (16-bit tag, 32-bit length, payload) in one buffer that travels in a memfd. Both
 * ends are the same build, so plain values are copied as they are in memory; every record is
 * length-checked on reading, and unknown tags are refused.
 *
 * The writer borrows everything it is given; the reader returns owned copies (free them with
 * exec_run_done() and exec_context_done()).
 */

#include <stdint.h>

#include "exec-context.h"

/* At most this many fds are passed ($LISTEN_FDS: sockets and the fd store). */
#define EXEC_FDS_MAX 1024

typedef struct ExecRun {
        char *unit_id;
        char *invocation_id;     /* 32 hex digits, or NULL */
        uint32_t flags;          /* ExecFlags (execute.h) */

        /* The command, after the manager chose it (path not yet resolved against PATH) */
        char *path;
        char **argv;
        uint32_t command_flags;  /* ExecCommandFlags */

        /* Environment blocks, merged by the helper in this order (later wins) */
        char **environment;       /* the manager's block plus the per-run variables */
        char **pass_environment;  /* PassEnvironment= resolved in the manager: NAME=VALUE */
        char **files_environment; /* EnvironmentFile= contents, read by the manager */

        /* File descriptors as the helper finds them: fds 3 … 3+n_fds-1 are the ones to pass
         * ($LISTEN_FDS; none when n_fds is 0), the others are -1 or a number above those. */
        uint32_t n_fds;
        uint32_t n_socket_fds;    /* the first ones are sockets (NonBlocking= applies to them) */
        char **fd_names;          /* n_fds names */
        int stdin_fd, stdout_fd, stderr_fd; /* given by the manager, replace the context's choice */
        int socket_fd;            /* StandardInput/Output/Error=socket */
        int named_fds[3];         /* fd:NAME for stdin, stdout, stderr */
        int exec_fd;              /* written to before execve() (Type=exec), or -1 */
        int gate_fd;              /* read before execve(): a byte = go, EOF = the manager died
                                   * before it recorded us (crash recovery), or -1 */
        int netns_storage[2];     /* PrivateNetwork=: the unit's network namespace store, or -1 */

        char *cgroup_path;        /* absolute cgroupfs directory to join, or NULL */
        uint64_t watchdog_usec;
        int log_level, log_target; /* the manager's, for the helper's own messages */
        char *tmp_dir, *var_tmp_dir; /* PrivateTmp= directories (made by the manager) */
        char *prefix[_EXEC_DIRECTORY_TYPE_MAX]; /* /run, /var/lib, … for the *Directory= settings */
} ExecRun;

/* -1 everywhere an fd goes, NULL/0 elsewhere. */
void exec_run_init(ExecRun *r);
void exec_run_done(ExecRun *r);

/* Encodes context and run into a new buffer *ret of *ret_size bytes. 0 or -ENOMEM. */
int exec_wire_encode(const ExecContext *context, const ExecRun *run, void **ret, size_t *ret_size);
/* Decodes a buffer made by exec_wire_encode() into *ret_context and *ret_run (both initialised
 * here). 0, or -EBADMSG for a malformed buffer (nothing is returned then), or -ENOMEM. */
int exec_wire_decode(const void *buf, size_t size, ExecContext *ret_context, ExecRun *ret_run);
