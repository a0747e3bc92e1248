/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * executor-namespace.h: the namespaces of systemd.exec(5)'s "Sandboxing" section, set up in the
 * new process before its execve(), as systemd 252's setup_namespace() does: PrivateTmp=,
 * ProtectSystem=, ProtectHome=, ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=,
 * BindPaths=, BindReadOnlyPaths=, TemporaryFileSystem=, PrivateDevices=,
 * ProtectKernelTunables=, ProtectKernelModules=, ProtectKernelLogs=, ProtectControlGroups=,
 * MountAPIVFS=, ProtectProc=, ProcSubset= (a new /proc), PrivateMounts=, MountFlags= (a mount
 * namespace of its own), ProtectHostname= (a UTS namespace of its own) and PrivateNetwork= (a
 * network namespace the unit's processes share, with only a loopback device). Nothing of it reaches the host: the namespace's mounts are slaves of
 * the host's until everything is in place, then get MountFlags='s propagation (shared unless
 * set).
 *
 * The mounts are applied in path order, parents first; for one path the strongest setting
 * wins (inaccessible, bind, private /tmp, private /dev, read-only, read-write, tmpfs, implied
 * read-write), and a setting that changes nothing below its parent's is dropped. A read-only
 * path is made read-only with every mount below it, except the paths below it that are to stay
 * writable (ReadWritePaths=, the unit's *Directory= under ProtectSystem=strict, binds).
 * Inaccessible paths are covered by an empty node of mode 0000 (RUNTIME_DIR/sysmaster/
 * inaccessible/{dir,reg}). A private /dev is a tmpfs with null, zero, full, random, urandom,
 * tty, ptmx, the host's pts, shm, mqueue and hugepages, and the fd/stdin/stdout/stderr links.
 *
 * Not here: the seccomp filters and device cgroup policy systemd adds to some of these
 * settings, RootImage= and friends.
 */

#include <stddef.h>

#include "exec-wire.h"

/* PrivateNetwork=: joins the unit's network namespace from r's store, or makes one (loopback up)
 * and stores it; without a store a namespace of the process's own. 0 or -errno. */
int executor_setup_network(const ExecRun *r);

/* Whether c asks for anything here (PrivateTmp= counts once r has its directories). */
bool executor_needs_namespace(const ExecContext *c, const ExecRun *r);

/* Sets up the namespaces of c for the calling process. root is the directory the process will
 * chroot into afterwards (RootDirectory=) or NULL: paths of the settings lie below it, except
 * ReadWritePaths=-like paths without "+", which are the host's. On failure returns -errno and
 * names what failed in what (a path or a step, at most what_size bytes). Everything allocated
 * is freed before returning. */
int executor_setup_namespace(const ExecContext *c, const ExecRun *r, const char *root, char *what,
                             size_t what_size);
