/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * executor-namespace.c: the mount and UTS namespaces of a new process (executor-namespace.h).
 * Owns the list of mounts it builds; borrows the context and run.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "executor-namespace.h"
#include "fd-util.h"
#include "loopback-setup.h"
#include "macro.h"
#include "mkdir.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

/* By priority: of two entries for one path, the one earlier here stays (and becomes read-only
 * if the other was). */
typedef enum MountMode {
        MOUNT_INACCESSIBLE,
        MOUNT_BIND,
        MOUNT_PRIVATE_TMP,
        MOUNT_PRIVATE_DEV,
        MOUNT_API_VFS,  /* /sys, /dev: mounted only where nothing is */
        MOUNT_PROCFS,   /* /proc: a new instance, with ProtectProc= and ProcSubset= */
        MOUNT_READ_ONLY,
        MOUNT_READ_WRITE,
        MOUNT_TMPFS,
        MOUNT_RUN,      /* /run: a tmpfs only where nothing is mounted */
        MOUNT_READ_WRITE_IMPLICIT,
} MountMode;

typedef struct MountEntry {
        char *path;          /* owned, the root directory prepended where it applies */
        MountMode mode;
        bool ignore;         /* path (for a bind: source) may be missing */
        bool read_only;      /* a read-only bind or tmpfs */
        bool recursive;      /* a bind with the mounts below the source */
        bool skip;           /* missing and ignored, or dropped */
        const char *source;  /* bind, private tmp (borrowed) */
        const char *options; /* tmpfs data (borrowed) */
        unsigned long flags; /* tmpfs flags */
} MountEntry;

typedef struct MountList {
        MountEntry *e;
        size_t n, allocated;
        const char *root; /* NULL or the root directory */
} MountList;

typedef struct Table {
        const char *path;
        MountMode mode;
        bool ignore;
} Table;

/* The tables of systemd 252 as Debian builds it (split /usr). */
static const Table protect_system_yes[] = {
        { "/usr", MOUNT_READ_ONLY, false }, { "/boot", MOUNT_READ_ONLY, true },
        { "/efi", MOUNT_READ_ONLY, true },  { "/lib", MOUNT_READ_ONLY, true },
        { "/lib64", MOUNT_READ_ONLY, true }, { "/bin", MOUNT_READ_ONLY, true },
        { "/sbin", MOUNT_READ_ONLY, true },
};
static const Table protect_system_strict[] = {
        { "/", MOUNT_READ_ONLY, false },
        { "/proc", MOUNT_READ_WRITE_IMPLICIT, false },     /* ProtectKernelTunables= decides */
        { "/sys", MOUNT_READ_WRITE_IMPLICIT, false },      /* ProtectKernelTunables= decides */
        { "/dev", MOUNT_READ_WRITE_IMPLICIT, false },      /* PrivateDevices= decides */
        { "/home", MOUNT_READ_WRITE_IMPLICIT, true },      /* ProtectHome= decides */
        { "/run/user", MOUNT_READ_WRITE_IMPLICIT, true },  /* ProtectHome= decides */
        { "/root", MOUNT_READ_WRITE_IMPLICIT, true },      /* ProtectHome= decides */
};
static const Table protect_home_yes[] = {
        { "/home", MOUNT_INACCESSIBLE, true }, { "/run/user", MOUNT_INACCESSIBLE, true },
        { "/root", MOUNT_INACCESSIBLE, true },
};
static const Table protect_home_read_only[] = {
        { "/home", MOUNT_READ_ONLY, true }, { "/run/user", MOUNT_READ_ONLY, true },
        { "/root", MOUNT_READ_ONLY, true },
};
static const Table protect_kernel_tunables[] = {
        { "/proc/acpi", MOUNT_READ_ONLY, true },          { "/proc/apm", MOUNT_READ_ONLY, true },
        { "/proc/asound", MOUNT_READ_ONLY, true },        { "/proc/bus", MOUNT_READ_ONLY, true },
        { "/proc/fs", MOUNT_READ_ONLY, true },            { "/proc/irq", MOUNT_READ_ONLY, true },
        { "/proc/kallsyms", MOUNT_INACCESSIBLE, true },   { "/proc/kcore", MOUNT_INACCESSIBLE, true },
        { "/proc/latency_stats", MOUNT_READ_ONLY, true }, { "/proc/mtrr", MOUNT_READ_ONLY, true },
        { "/proc/scsi", MOUNT_READ_ONLY, true },          { "/proc/sys", MOUNT_READ_ONLY, true },
        { "/proc/sysrq-trigger", MOUNT_READ_ONLY, true }, { "/proc/timer_stats", MOUNT_READ_ONLY, true },
        { "/sys", MOUNT_READ_ONLY, false },               { "/sys/fs/bpf", MOUNT_READ_ONLY, true },
        { "/sys/fs/cgroup", MOUNT_READ_WRITE_IMPLICIT, false }, /* ProtectControlGroups= decides */
        { "/sys/fs/selinux", MOUNT_READ_WRITE_IMPLICIT, true },
        { "/sys/kernel/debug", MOUNT_READ_ONLY, true },   { "/sys/kernel/tracing", MOUNT_READ_ONLY, true },
};
static const Table protect_kernel_modules[] = {
        { "/lib/modules", MOUNT_INACCESSIBLE, true }, { "/usr/lib/modules", MOUNT_INACCESSIBLE, true },
};
static const Table protect_kernel_logs[] = {
        { "/proc/kmsg", MOUNT_INACCESSIBLE, true }, { "/dev/kmsg", MOUNT_INACCESSIBLE, true },
};
static const Table protect_control_groups[] = {
        { "/sys/fs/cgroup", MOUNT_READ_ONLY, false },
};
/* MountAPIVFS= (implied by ProtectKernelTunables= and ProtectControlGroups=): where they are
 * mounted already these change nothing but keep a read-only parent (ProtectSystem=strict) off
 * them, /run included, as in systemd 252. */
static const Table api_vfs[] = {
        { "/proc", MOUNT_PROCFS, false }, { "/dev", MOUNT_API_VFS, false },
        { "/sys", MOUNT_API_VFS, false }, { "/run", MOUNT_RUN, false },
};

static void mount_list_done(MountList *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->e[i].path);
        free(l->e);
        *l = (MountList) {};
}

/* Appends an entry for path (below the root unless host_path). NULL on OOM. */
static MountEntry *add(MountList *l, const char *path, bool host_path, MountMode mode, bool ignore) {
        char *p = !host_path && l->root ? path_join(l->root, path) : strdup(path);

        if (!p || !GREEDY_REALLOC(l->e, l->allocated, l->n + 1)) {
                free(p);
                return NULL;
        }
        path_simplify(p);
        l->e[l->n] = (MountEntry) { .path = p, .mode = mode, .ignore = ignore };
        return &l->e[l->n++];
}

static int add_table(MountList *l, const Table *t, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!add(l, t[i].path, false, t[i].mode, t[i].ignore))
                        return -ENOMEM;
        return 0;
}

/* ReadWritePaths=-like lists: "-" ignores a missing path, "+" puts it below the root. */
static int add_paths(MountList *l, char **paths, MountMode mode) {
        STRV_FOREACH(i, paths) {
                const char *p = *i;
                bool ignore = *p == '-', plus;

                p += ignore;
                plus = *p == '+';
                p += plus;
                if (!add(l, p, !plus, mode, ignore))
                        return -ENOMEM;
        }
        return 0;
}

/* Parses TemporaryFileSystem= options: the flags mount(2) takes as flags, the rest as data. */
static int tmpfs_options(const char *options, unsigned long *flags, bool *read_only, char **data) {
        static const struct {
                const char *name;
                unsigned long set, clear;
        } known[] = {
                { "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },   { "nodev", MS_NODEV, 0 },
                { "dev", 0, MS_NODEV },     { "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
                { "noatime", MS_NOATIME, 0 }, { "strictatime", MS_STRICTATIME, 0 },
        };
        _cleanup_strv_free_ char **words = NULL, **rest = NULL;
        bool mode = false;

        if (strv_split(options, ",", &words) < 0)
                return -ENOMEM;
        STRV_FOREACH(w, words) {
                size_t i;

                if (streq(*w, "ro") || streq(*w, "rw")) {
                        *read_only = streq(*w, "ro");
                        continue;
                }
                for (i = 0; i < ELEMENTSOF(known); i++)
                        if (streq(*w, known[i].name)) {
                                *flags = (*flags | known[i].set) & ~known[i].clear;
                                break;
                        }
                if (i < ELEMENTSOF(known))
                        continue;
                mode = mode || startswith(*w, "mode=");
                if (strv_extend(&rest, *w) < 0)
                        return -ENOMEM;
        }
        if (!mode && strv_extend(&rest, "mode=0755") < 0)
                return -ENOMEM;
        *data = strv_join(rest, ",");
        return *data ? 0 : -ENOMEM;
}

static int build(MountList *l, const ExecContext *c, const ExecRun *r, char ***datas) {
        int k = 0;

        if (r->tmp_dir || r->var_tmp_dir) {
                const char *dirs[2][2] = { { r->tmp_dir, "/tmp" }, { r->var_tmp_dir, "/var/tmp" } };
                for (size_t i = 0; i < 2; i++) {
                        MountEntry *e;
                        if (!dirs[i][0])
                                continue;
                        e = add(l, dirs[i][1], false, MOUNT_PRIVATE_TMP, false);
                        if (!e)
                                return -ENOMEM;
                        e->source = dirs[i][0];
                }
        }
        if (c->protect_system == EXEC_PROTECT_SYSTEM_STRICT)
                k = add_table(l, protect_system_strict, ELEMENTSOF(protect_system_strict));
        else if (c->protect_system != EXEC_PROTECT_SYSTEM_NO) {
                k = add_table(l, protect_system_yes, ELEMENTSOF(protect_system_yes));
                if (k >= 0 && c->protect_system == EXEC_PROTECT_SYSTEM_FULL && !add(l, "/etc", false, MOUNT_READ_ONLY, false))
                        k = -ENOMEM;
        }
        if (k >= 0 && c->protect_home == EXEC_PROTECT_HOME_YES)
                k = add_table(l, protect_home_yes, ELEMENTSOF(protect_home_yes));
        else if (k >= 0 && c->protect_home == EXEC_PROTECT_HOME_READ_ONLY)
                k = add_table(l, protect_home_read_only, ELEMENTSOF(protect_home_read_only));
        else if (k >= 0 && c->protect_home == EXEC_PROTECT_HOME_TMPFS)
                for (size_t i = 0; i < ELEMENTSOF(protect_home_yes) && k >= 0; i++) {
                        MountEntry *e = add(l, protect_home_yes[i].path, false, MOUNT_TMPFS, true);
                        if (!e) {
                                k = -ENOMEM;
                                break;
                        }
                        /* systemd 252 leaves these writable, though its manual says read-only */
                        e->flags = MS_NODEV | MS_STRICTATIME;
                        e->options = streq(protect_home_yes[i].path, "/root") ? "mode=0700" : "mode=0755";
                }
        if (k >= 0 && c->protect_kernel_tunables)
                k = add_table(l, protect_kernel_tunables, ELEMENTSOF(protect_kernel_tunables));
        if (k >= 0 && c->protect_kernel_modules)
                k = add_table(l, protect_kernel_modules, ELEMENTSOF(protect_kernel_modules));
        if (k >= 0 && c->protect_kernel_logs)
                k = add_table(l, protect_kernel_logs, ELEMENTSOF(protect_kernel_logs));
        if (k >= 0 && c->protect_control_groups)
                k = add_table(l, protect_control_groups, ELEMENTSOF(protect_control_groups));
        if (k >= 0 && c->private_devices && !add(l, "/dev", false, MOUNT_PRIVATE_DEV, false))
                k = -ENOMEM;
        if (k >= 0 && exec_context_mount_apivfs(c))
                k = add_table(l, api_vfs, ELEMENTSOF(api_vfs));
        if (k >= 0 && (c->protect_proc != EXEC_PROTECT_PROC_DEFAULT || c->proc_subset_pid) &&
            !add(l, "/proc", false, MOUNT_PROCFS, false))
                k = -ENOMEM;
        if (k >= 0)
                k = add_paths(l, c->read_write_paths, MOUNT_READ_WRITE);
        if (k >= 0)
                k = add_paths(l, c->read_only_paths, MOUNT_READ_ONLY);
        if (k >= 0)
                k = add_paths(l, c->inaccessible_paths, MOUNT_INACCESSIBLE);
        /* the unit's own directories stay writable (not ConfigurationDirectory=) */
        for (size_t t = 0; k >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                if (t == EXEC_DIRECTORY_CONFIGURATION || !r->prefix[t])
                        continue;
                STRV_FOREACH(d, c->directories[t]) {
                        _cleanup_free_ char *p = path_join(r->prefix[t], *d);
                        if (!p || !add(l, p, true, MOUNT_READ_WRITE_IMPLICIT, true)) {
                                k = -ENOMEM;
                                break;
                        }
                }
        }
        for (char **b = c->bind_mounts; k >= 0 && b && b[0] && b[1] && b[2]; b += 3) {
                MountEntry *e = add(l, b[2], false, MOUNT_BIND, b[0][0] == '-');
                if (!e) {
                        k = -ENOMEM;
                        break;
                }
                e->source = b[1];
                e->read_only = b[0][1] == 'r';
                e->recursive = b[0][2] == 'R';
        }
        for (char **t = c->temporary_filesystems; k >= 0 && t && t[0] && t[1]; t += 2) {
                MountEntry *e = add(l, t[0], false, MOUNT_TMPFS, false);
                char *data = NULL;
                if (!e) {
                        k = -ENOMEM;
                        break;
                }
                e->flags = MS_NODEV | MS_STRICTATIME;
                k = tmpfs_options(t[1], &e->flags, &e->read_only, &data);
                if (k >= 0 && strv_consume(datas, data) < 0)
                        k = -ENOMEM;
                e->options = data;
        }
        return k;
}

static int compare_entries(const void *a, const void *b) {
        const MountEntry *x = a, *y = b;
        int c = path_compare(x->path, y->path);

        return c != 0 ? c : (int) x->mode - (int) y->mode;
}

static bool entry_read_only(const MountEntry *e) {
        return e->read_only || e->mode == MOUNT_READ_ONLY || e->mode == MOUNT_INACCESSIBLE;
}

/* The nearest earlier live entry at or above e's path (the list is sorted), or NULL. */
static const MountEntry *parent_of(const MountList *l, size_t i) {
        for (size_t j = i; j-- > 0;)
                if (!l->e[j].skip && path_startswith(l->e[i].path, l->e[j].path))
                        return &l->e[j];
        return NULL;
}

/* Sorts, keeps the strongest entry per path, drops what is below an inaccessible path, what
 * lies outside the root, and read-only/read-write entries that change nothing. */
static void normalize(MountList *l) {
        if (l->n == 0)
                return;
        qsort(l->e, l->n, sizeof(MountEntry), compare_entries);
        for (size_t i = 0; i < l->n; i++) {
                MountEntry *e = &l->e[i];
                const MountEntry *p;

                if (l->root && !path_startswith(e->path, l->root)) {
                        e->skip = true;
                        continue;
                }
                if (i > 0 && path_equal(e->path, l->e[i - 1].path)) {
                        MountEntry *kept = &l->e[i - 1];
                        while (kept->skip && kept > l->e && path_equal(kept[-1].path, e->path))
                                kept--;
                        kept->read_only = kept->read_only || entry_read_only(e);
                        e->skip = true;
                        continue;
                }
                p = parent_of(l, i);
                if (p && p->mode == MOUNT_INACCESSIBLE) {
                        e->skip = true;
                        continue;
                }
                if (e->mode != MOUNT_READ_ONLY && e->mode != MOUNT_READ_WRITE && e->mode != MOUNT_READ_WRITE_IMPLICIT)
                        continue;
                if (p ? entry_read_only(p) == entry_read_only(e) : e->mode != MOUNT_READ_ONLY)
                        e->skip = true;
        }
}

/* ---- the mount table ------------------------------------------------------------------------ */

/* Every mount point of /proc/self/mountinfo (octal escapes decoded), in its order. */
static int read_mount_points(char ***ret) {
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_strv_free_ char **l = NULL;
        char *line = NULL;
        size_t size = 0;
        int k = 0;

        if (!f)
                return -errno;
        while (getline(&line, &size, f) > 0) {
                char *mp = NULL, *o;
                /* ID PARENT MAJ:MIN ROOT MOUNT-POINT ... */
                if (sscanf(line, "%*s %*s %*s %*s %ms", &mp) != 1)
                        continue;
                o = mp;
                for (const char *q = mp; *q; q++) {
                        if (q[0] == '\\' && q[1] >= '0' && q[1] <= '3' && q[2] >= '0' && q[2] <= '7' &&
                            q[3] >= '0' && q[3] <= '7') {
                                *o++ = (char) ((q[1] - '0') << 6 | (q[2] - '0') << 3 | (q[3] - '0'));
                                q += 3;
                        } else
                                *o++ = *q;
                }
                *o = 0;
                if (strv_consume(&l, mp) < 0) {
                        k = -ENOMEM;
                        break;
                }
        }
        free(line);
        if (k < 0)
                return k;
        *ret = TAKE_PTR(l);
        return 0;
}

/* Whether path (not followed if a link) is where a mount is, as the path resolves now: mountinfo
 * also lists mounts that a later one covers. */
static bool is_mount_point(const char *path) {
        _cleanup_free_ char *parent = NULL;
        struct statx a, b;

        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &a) < 0)
                return false;
        if (a.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
                return a.stx_attributes & STATX_ATTR_MOUNT_ROOT;
        if (path_equal(path, "/"))
                return true;
        parent = path_join(path, "..");
        return parent && statx(AT_FDCWD, parent, 0, STATX_MNT_ID, &b) >= 0 && (a.stx_mask & STATX_MNT_ID) &&
               a.stx_mnt_id != b.stx_mnt_id;
}

/* The per-mount flags of the mount at path that a bind remount must restate. */
static unsigned long mount_flags_of(const char *path) {
        static const unsigned long map[][2] = {
                { ST_NOSUID, MS_NOSUID },     { ST_NODEV, MS_NODEV },           { ST_NOEXEC, MS_NOEXEC },
                { ST_NOATIME, MS_NOATIME },   { ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
        };
        struct statvfs sv;
        unsigned long f = 0;

        if (statvfs(path, &sv) < 0)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(map); i++)
                if (sv.f_flag & map[i][0])
                        f |= map[i][1];
        return f;
}

/* Makes the mount at path read-only, and, if recursive, every mount below it but those at or
 * below the other entries' paths in keep (each of those gets its own turn). */
static int remount_read_only(const char *path, bool recursive, char **mounts, char **keep) {

        if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | mount_flags_of(path), NULL) < 0)
                return -errno;
        if (!recursive)
                return 0;
        STRV_FOREACH(m, mounts) {
                const char *below = path_startswith(*m, path);
                bool kept = false;

                if (!below || isempty(below))
                        continue;
                STRV_FOREACH(k, keep)
                        if (path_startswith(*k, path) && !path_equal(*k, path) && path_startswith(*m, *k)) {
                                kept = true;
                                break;
                        }
                /* a mount covered by a later one (a new /proc over the old) is not ours to change */
                if (kept || !is_mount_point(*m))
                        continue;
                /* gone meanwhile or hidden behind a mount we cannot see through: as systemd */
                if (mount(NULL, *m, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | mount_flags_of(*m), NULL) < 0 &&
                    errno != ENOENT && errno != EACCES)
                        return -errno;
        }
        return 0;
}

/* ---- pass one: what each entry mounts ------------------------------------------------------- */

/* An empty node of mode 0000 of the kind of file given (S_IFMT bits), as systemd 252 keeps them in
 * /run/systemd/inaccessible: a directory, a regular file, a device 0:0, a FIFO, a socket. */
static int inaccessible_node(const ExecRun *r, mode_t type, char **ret) {
        static const struct {
                mode_t type;
                const char *name;
        } kinds[] = {
                { S_IFDIR, "dir" }, { S_IFREG, "reg" },   { S_IFCHR, "chr" },
                { S_IFBLK, "blk" }, { S_IFIFO, "fifo" }, { S_IFSOCK, "sock" },
        };
        const char *rt = r->prefix[EXEC_DIRECTORY_RUNTIME] ? r->prefix[EXEC_DIRECTORY_RUNTIME] : "/run";
        _cleanup_free_ char *base = path_join(rt, "sysmaster/inaccessible"), *p = NULL;
        size_t i;
        int k = 0;

        for (i = 0; i < ELEMENTSOF(kinds) && kinds[i].type != type; i++)
                ;
        if (i == ELEMENTSOF(kinds))
                return -ELOOP;
        if (!base || !(p = path_join(base, kinds[i].name)))
                return -ENOMEM;
        (void) mkdir_p(base, 0755);
        if (type == S_IFDIR)
                k = mkdir(p, 0000);
        else if (type == S_IFREG)
                k = mknod(p, S_IFREG | 0000, 0);
        else
                k = mknod(p, type | 0000, makedev(0, 0));
        if (k < 0 && errno != EEXIST)
                return -errno;
        (void) chmod(p, 0000);
        *ret = TAKE_PTR(p);
        return 0;
}

/* Makes sure the mount point of e exists: a directory, or a file where the bind source is one. */
static int make_mount_point(const MountEntry *e, bool file) {
        int fd;

        if (mkdir_parents(e->path, 0755) < 0)
                return -errno;
        if (!file)
                return mkdir(e->path, 0755) < 0 && errno != EEXIST ? -errno : 0;
        fd = open(e->path, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        safe_close(fd);
        return 0;
}

/* A device node like the host's one at name in old (an fd of the /dev now covered): mknod, or a
 * bind of the host's node where that is refused; with its /dev/char/MAJ:MIN link. */
static int clone_device(int old, const char *dev, const char *name) {
        _cleanup_free_ char *dst = path_join(dev, name), *link = NULL, *target = NULL;
        char src[64];
        struct stat st;
        int fd;

        if (!dst)
                return -ENOMEM;
        if (fstatat(old, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (S_ISLNK(st.st_mode)) { /* /dev/ptmx may be a link to pts/ptmx */
                char buf[PATH_MAX];
                ssize_t n = readlinkat(old, name, buf, sizeof buf - 1);
                if (n < 0)
                        return -errno;
                buf[n] = 0;
                return symlink(buf, dst) < 0 ? -errno : 0;
        }
        if (!S_ISCHR(st.st_mode))
                return 0;
        if (mknod(dst, st.st_mode, st.st_rdev) >= 0) {
                if (chmod(dst, st.st_mode & 07777) < 0 || chown(dst, st.st_uid, st.st_gid) < 0)
                        return -errno;
        } else {
                if (errno != EPERM)
                        return -errno;
                fd = open(dst, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0000);
                if (fd < 0)
                        return -errno;
                safe_close(fd);
                snprintf(src, sizeof src, "/proc/self/fd/%d/%s", old, name);
                if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
                        return -errno;
        }
        if (asprintf(&link, "%s/char/%u:%u", dev, major(st.st_rdev), minor(st.st_rdev)) < 0 ||
            !(target = path_join("..", name)))
                return -ENOMEM;
        (void) mkdir_parents(link, 0755);
        return symlink(target, link) < 0 && errno != EEXIST ? -errno : 0;
}

/* A private /dev on dev: a tmpfs with the pseudo devices, the host's pts, shm, mqueue and
 * hugepages, and the standard links. The host's nodes are reached through an fd of the /dev
 * that the tmpfs covers. */
static int private_dev(const char *dev, char *what, size_t what_size) {
        static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty", "ptmx" };
        static const char *const binds[] = { "pts", "shm", "mqueue", "hugepages" };
        static const char *const links[][2] = {
                { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
                { "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
                { "/run/systemd/journal/dev-log", "log" },
        };
        _cleanup_close_ int old = open(dev, O_PATH | O_DIRECTORY | O_CLOEXEC);
        int k;

        if (old < 0)
                return -errno;
        if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME, "mode=0755") < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(nodes); i++) {
                k = clone_device(old, dev, nodes[i]);
                if (k < 0) {
                        snprintf(what, what_size, "/dev/%s", nodes[i]);
                        return k;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(binds); i++) {
                _cleanup_free_ char *dst = path_join(dev, binds[i]);
                char src[64];
                struct stat st;

                if (!dst)
                        return -ENOMEM;
                /* mqueue and hugepages are optional: their directories are made anyway, as
                 * systemd does */
                if (fstatat(old, binds[i], &st, 0) < 0 || !S_ISDIR(st.st_mode)) {
                        if (i > 1 && mkdir(dst, 0755) < 0)
                                return -errno;
                        continue;
                }
                snprintf(src, sizeof src, "/proc/self/fd/%d/%s", old, binds[i]);
                if (mkdir(dst, 0755) < 0 || chmod(dst, st.st_mode & 07777) < 0 ||
                    mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) {
                        k = -errno;
                        if (i > 1)
                                continue;
                        snprintf(what, what_size, "/dev/%s", binds[i]);
                        return k;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                _cleanup_free_ char *dst = path_join(dev, links[i][1]);
                if (!dst)
                        return -ENOMEM;
                if (symlink(links[i][0], dst) < 0)
                        return -errno;
        }
        return 0;
}

/* MountAPIVFS=: the API file system at e, where nothing is mounted there yet. */
static int api_vfs_mount(const MountEntry *e, bool exists) {
        int k;

        if (exists && is_mount_point(e->path))
                return 0;
        if (!exists && (k = make_mount_point(e, false)) < 0)
                return k;
        if (e->mode == MOUNT_RUN)
                k = mount("tmpfs", e->path, "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME, "mode=0755");
        else
                k = mount(streq(path_basename(e->path), "sys") ? "/sys" : "/dev", e->path, NULL, MS_BIND | MS_REC, NULL);
        return k < 0 ? -errno : 0;
}

/* A new procfs instance on e (never the one mounted there), with hidepid= and subset= as
 * ProtectProc= and ProcSubset= say; without them where the kernel does not know them. */
static int procfs_mount(const MountEntry *e, const ExecContext *c, bool exists) {
        char opts[64] = "";
        int k;

        if (c->protect_proc != EXEC_PROTECT_PROC_DEFAULT || c->proc_subset_pid)
                snprintf(opts, sizeof opts, "hidepid=%s%s",
                         c->protect_proc == EXEC_PROTECT_PROC_DEFAULT ? "off" : exec_protect_proc_to_string(c->protect_proc),
                         c->proc_subset_pid ? ",subset=pid" : "");
        if (!exists && (k = make_mount_point(e, false)) < 0)
                return k;
        if (mount("proc", e->path, "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, opts[0] ? opts : NULL) >= 0)
                return 0;
        if (errno != EINVAL || !opts[0])
                return -errno;
        return mount("proc", e->path, "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) < 0 ? -errno : 0;
}

/* A path that is not there: skipped if the entry allows it ("-"), else the error. */
static int skip_missing(MountEntry *e, int missing) {
        if (e->ignore && missing == ENOENT) {
                e->skip = true;
                return 0;
        }
        return -missing;
}

static int apply(MountEntry *e, const ExecContext *c, const ExecRun *r, char *what, size_t what_size) {
        _cleanup_free_ char *node = NULL;
        struct stat st;
        bool exists = stat(e->path, &st) >= 0;
        int missing = exists ? 0 : errno, k;

        snprintf(what, what_size, "%s", e->path);
        switch (e->mode) {
        case MOUNT_INACCESSIBLE:
                if (!exists)
                        return skip_missing(e, missing);
                k = inaccessible_node(r, st.st_mode & S_IFMT, &node);
                if (k < 0)
                        return k;
                return mount(node, e->path, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
        case MOUNT_BIND:
        case MOUNT_PRIVATE_TMP: {
                struct stat sst;
                if (stat(e->source, &sst) < 0) {
                        k = errno;
                        if (k == ENOENT && e->ignore) {
                                e->skip = true;
                                return 0;
                        }
                        snprintf(what, what_size, "%s", e->source);
                        return -k;
                }
                if (!exists && (k = make_mount_point(e, !S_ISDIR(sst.st_mode))) < 0)
                        return k;
                return mount(e->source, e->path, NULL, MS_BIND | (e->recursive || e->mode == MOUNT_PRIVATE_TMP ? MS_REC : 0),
                             NULL) < 0 ? -errno : 0;
        }
        case MOUNT_TMPFS:
                if (!exists) {
                        if (e->ignore) {
                                e->skip = true;
                                return 0;
                        }
                        if ((k = make_mount_point(e, false)) < 0)
                                return k;
                }
                return mount("tmpfs", e->path, "tmpfs", e->flags, e->options) < 0 ? -errno : 0;
        case MOUNT_PRIVATE_DEV:
                if (!exists && (k = make_mount_point(e, false)) < 0)
                        return k;
                return private_dev(e->path, what, what_size);
        case MOUNT_API_VFS:
        case MOUNT_RUN:
                return api_vfs_mount(e, exists);
        case MOUNT_PROCFS:
                return procfs_mount(e, c, exists);
        case MOUNT_READ_ONLY:
        case MOUNT_READ_WRITE:
        case MOUNT_READ_WRITE_IMPLICIT:
                if (!exists)
                        return skip_missing(e, missing);
                /* a mount of its own, for flags of its own (a mount point already is one) */
                if (is_mount_point(e->path))
                        return 0;
                return mount(e->path, e->path, NULL, MS_BIND | MS_REC, NULL) < 0 ? -errno : 0;
        }
        return 0;
}

/* ---- the whole ------------------------------------------------------------------------------- */

/* PrivateTmp= with the directories the manager made for it */
static bool private_tmp_wanted(const ExecContext *c, const ExecRun *r) {
        return c->private_tmp && (r->tmp_dir || r->var_tmp_dir);
}

bool executor_needs_namespace(const ExecContext *c, const ExecRun *r) {
        return exec_context_needs_mount_namespace(c) || c->protect_hostname || private_tmp_wanted(c, r);
}

int executor_setup_namespace(const ExecContext *c, const ExecRun *r, const char *root, char *what,
                             size_t what_size) {
        _cleanup_strv_free_ char **mounts = NULL, **keep = NULL, **datas = NULL;
        _cleanup_free_ char *root_copy = root ? strdup(root) : NULL;
        MountList l = { .root = root_copy };
        int k;

        snprintf(what, what_size, "%s", "namespace");
        if (root && !root_copy)
                return -ENOMEM;
        if (root_copy)
                path_simplify(root_copy);
        if (c->protect_hostname && unshare(CLONE_NEWUTS) < 0)
                return -errno;
        if (!exec_context_needs_mount_namespace(c) && !private_tmp_wanted(c, r))
                return 0;
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return -errno;
        k = build(&l, c, r, &datas);
        if (k >= 0)
                normalize(&l);
        for (size_t i = 0; k >= 0 && i < l.n; i++)
                if (!l.e[i].skip)
                        k = apply(&l.e[i], c, r, what, what_size);
        /* pass two: read-only where asked, on the mount table as it is now */
        if (k >= 0)
                k = read_mount_points(&mounts);
        for (size_t i = 0; k >= 0 && i < l.n; i++)
                if (!l.e[i].skip && strv_extend(&keep, l.e[i].path) < 0)
                        k = -ENOMEM;
        for (size_t i = 0; k >= 0 && i < l.n; i++) {
                MountEntry *e = &l.e[i];
                if (e->skip || !(entry_read_only(e) || e->mode == MOUNT_PRIVATE_DEV))
                        continue;
                snprintf(what, what_size, "%s", e->path);
                k = remount_read_only(e->path, e->mode != MOUNT_PRIVATE_DEV, mounts, keep);
        }
        mount_list_done(&l);
        if (k < 0)
                return k;
        snprintf(what, what_size, "%s", "/");
        if (mount(NULL, "/", NULL, (c->mount_propagation ? c->mount_propagation : MS_SHARED) | MS_REC, NULL) < 0)
                return -errno;
        return 0;
}

/* ---- PrivateNetwork= ------------------------------------------------------------------------- */

/* The namespace fd waiting in the store, left there for the next process (peeking at a message
 * with SCM_RIGHTS gives copies of its fds); -EAGAIN if the store is empty. */
static int peek_netns(int fd) {
        union {
                struct cmsghdr h;
                uint8_t buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        char byte;
        struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control };
        struct cmsghdr *c;
        int ns;

        if (recvmsg(fd, &mh, MSG_PEEK | MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0)
                return -errno;
        c = CMSG_FIRSTHDR(&mh);
        if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
                return -EBADMSG;
        memcpy(&ns, CMSG_DATA(c), sizeof ns);
        return ns;
}

static int store_netns(int fd, int ns) {
        union {
                struct cmsghdr h;
                uint8_t buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        char byte = 0;
        struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control };
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &ns, sizeof ns);
        return sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int executor_setup_network(const ExecRun *r) {
        bool store = r->netns_storage[0] >= 0 && r->netns_storage[1] >= 0;
        _cleanup_close_ int ns = -1;
        int k;

        /* one process at a time makes the unit's namespace */
        if (store && flock(r->netns_storage[0], LOCK_EX) < 0)
                return -errno;
        ns = store ? peek_netns(r->netns_storage[0]) : -EAGAIN;
        if (ns >= 0)
                k = setns(ns, CLONE_NEWNET) < 0 ? -errno : 0;
        else if (ns != -EAGAIN)
                k = ns;
        else if (unshare(CLONE_NEWNET) < 0)
                k = -errno;
        else {
                k = loopback_setup(); /* a new namespace has it down */
                if (k >= 0 && store) {
                        ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
                        k = ns < 0 ? -errno : store_netns(r->netns_storage[1], ns);
                }
        }
        if (store)
                (void) flock(r->netns_storage[0], LOCK_UN);
        return k;
}
