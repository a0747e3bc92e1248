/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup.c: the manager's cgroup v2 tree (cgroup.h), laid out as systemd 252 lays it out.
 *
 * Two kinds of paths: a cgroup path is what /proc/PID/cgroup shows ("/system.slice/a.service",
 * the manager's root cgroup included, "" for the top of the hierarchy); it is what units keep in
 * cgroup_path and the key of m->cgroup_units. A file-system path is the cgroup2 mount point plus
 * a cgroup path. Emptiness: one inotify watch (IN_MODIFY) per realized cgroup on its
 * cgroup.events; m->cgroup_inotify_wd_unit maps the watch back to its unit, and "populated 0"
 * is passed to the unit's type (UnitVTable.cgroup_empty) straight from the event loop.
 *
 * Without cgroup2 (m->cgroup_mount NULL) every function here does nothing and says so
 * (-ENODATA, NULL, UINT64_MAX): the manager then tracks processes by pid only.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "fd-util.h"
#include "hashmap.h"
#include "log.h"
#include "macro.h"
#include "manager-store.h"
#include "manager.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-name.h"
#include "unit.h"

#define ROOT_SLICE "-.slice"
#define INIT_SCOPE "init.scope"
#define PTR_OF_INT(i) ((void *) (intptr_t) (i))

static const char *empty_to_root(const char *p) {
        return isempty(p) ? "/" : p;
}

/* The controllers a slice hands down to its children: what systemd 252 enables by default
 * (MemoryAccounting= and TasksAccounting= are on by default; cpu and io only on request). */
static const char *const delegated_controllers[] = { "memory", "pids" };

/* Names the kernel may use as file names in a cgroup directory ("<controller>.<attribute>"). */
static const char *const controller_names[] = {
        "cpu", "cpuacct", "cpuset", "io", "blkio", "memory", "devices", "pids", "bpf-firewall",
        "bpf-devices", "bpf-foreign", "bpf-socket-bind", "bpf-restrict-network-interfaces",
};

/* ---- names and paths --------------------------------------------------------------------- */

char *cgroup_escape(const char *p) {
        bool prefix = false;
        const char *dot;

        if (IN_SET(p[0], 0, '_', '.') || streq(p, "notify_on_release") || streq(p, "release_agent") ||
            streq(p, "tasks") || startswith(p, "cgroup."))
                prefix = true;
        else if ((dot = strrchr(p, '.')))
                for (size_t i = 0; i < ELEMENTSOF(controller_names); i++)
                        if (strlen(controller_names[i]) == (size_t) (dot - p) &&
                            strncmp(p, controller_names[i], (size_t) (dot - p)) == 0) {
                                prefix = true;
                                break;
                        }
        return prefix ? strjoin("_", p) : strdup(p);
}

/* Appends "/" + the escaped name to *s. */
static int append_escaped(char **s, const char *name) {
        _cleanup_free_ char *e = cgroup_escape(name);

        if (!e || strextend(s, "/", e) < 0)
                return -ENOMEM;
        return 0;
}

int cgroup_slice_to_path(const char *slice, char **ret) {
        _cleanup_free_ char *prefix = NULL, *s = NULL;
        int r;

        if (streq(slice, ROOT_SLICE)) {
                s = strdup("");
                if (!s)
                        return -ENOMEM;
                *ret = TAKE_PTR(s);
                return 0;
        }
        if (!unit_name_is_valid(slice, UNIT_NAME_PLAIN) || !endswith(slice, ".slice"))
                return -EINVAL;
        r = unit_name_to_prefix(slice, &prefix);
        if (r < 0)
                return r;
        if (prefix[0] == '-')
                return -EINVAL;
        /* "a-b-c.slice" lives in "a.slice/a-b.slice/a-b-c.slice" */
        for (char *dash = strchr(prefix, '-'); dash; dash = strchr(dash + 1, '-')) {
                _cleanup_free_ char *parent = NULL;

                if (IN_SET(dash[1], 0, '-'))
                        return -EINVAL;
                parent = strndup_safe(prefix, (size_t) (dash - prefix));
                if (!parent || strextend(&parent, ".slice") < 0)
                        return -ENOMEM;
                if (!unit_name_is_valid(parent, UNIT_NAME_PLAIN))
                        return -EINVAL;
                r = append_escaped(&s, parent);
                if (r < 0)
                        return r;
        }
        r = append_escaped(&s, slice);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

static const char *manager_cgroup_root(const Manager *m) {
        return m->cgroup_root ?: "";
}

char *unit_default_cgroup_path(const Unit *u) {
        _cleanup_free_ char *slice_path = NULL, *escaped = NULL;
        const char *root = manager_cgroup_root(u->manager);

        if (unit_has_name(u, ROOT_SLICE))
                return strdup(root);
        if (u->type == UNIT_SLICE) {
                if (cgroup_slice_to_path(u->id, &slice_path) < 0)
                        return NULL;
                return strjoin(root, slice_path);
        }
        if (cgroup_slice_to_path(u->slice ?: ROOT_SLICE, &slice_path) < 0)
                return NULL;
        escaped = cgroup_escape(u->id);
        if (!escaped)
                return NULL;
        return strjoin(root, slice_path, "/", escaped);
}

/* mount + cgroup path + "/" + file (file may be NULL). */
static char *cgroup_fs(const Manager *m, const char *cgroup, const char *file) {
        return path_join(m->cgroup_mount, cgroup, file);
}

char *unit_cgroup_fs_path(const Unit *u) {
        if (!u->cgroup_path || !u->manager->cgroup_mount)
                return NULL;
        return cgroup_fs(u->manager, u->cgroup_path, NULL);
}

bool manager_has_cgroup(const Manager *m) {
        return m && m->cgroup_mount;
}

/* ---- small file helpers ------------------------------------------------------------------ */

/* Reads a small (pseudo) file into buf (NUL-terminated). 0 or -errno. */
static int read_small(const char *path, char *buf, size_t size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        ssize_t n;

        if (fd < 0)
                return -errno;
        do
                n = read(fd, buf, size - 1);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return 0;
}

/* One write(2) of s to an existing cgroup file (never created, never truncated). */
static int write_cgroup_file(const char *path, const char *s) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        size_t l = strlen(s);
        ssize_t n;

        if (fd < 0)
                return -errno;
        n = write(fd, s, l);
        if (n < 0)
                return -errno;
        return (size_t) n == l ? 0 : -EIO;
}

static int write_pid(const char *procs, pid_t pid) {
        char buf[32];

        snprintf(buf, sizeof buf, "%d\n", (int) pid);
        return write_cgroup_file(procs, buf);
}

/* The value of "key N" in a flat keyed file (cgroup.events, cpu.stat), or -ENODATA. */
static int keyed_value(const char *text, const char *key, uint64_t *ret) {
        size_t l = strlen(key);

        for (const char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
                unsigned long long v;
                char *end;

                if (strncmp(p, key, l) != 0 || p[l] != ' ')
                        continue;
                errno = 0;
                v = strtoull(p + l + 1, &end, 10);
                if (errno != 0 || end == p + l + 1)
                        return -EINVAL;
                *ret = v;
                return 0;
        }
        return -ENODATA;
}

/* The cgroup path of pid from /proc/PID/cgroup ("0::" line), pid 0 for ourselves. */
static int pid_get_cgroup(pid_t pid, char **ret) {
        _cleanup_free_ char *text = NULL;
        char path[64];
        int r;

        if (pid == 0)
                snprintf(path, sizeof path, "/proc/self/cgroup");
        else
                snprintf(path, sizeof path, "/proc/%d/cgroup", (int) pid);
        r = read_full_file(path, 1 << 20, &text, NULL);
        if (r < 0)
                return r;
        for (char *line = text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                if (startswith(line, "0::")) {
                        char *p = strdup(line + 3);
                        if (!p)
                                return -ENOMEM;
                        *ret = p;
                        return 0;
                }
        }
        return -ENODATA;
}

/* ---- setup ------------------------------------------------------------------------------- */

static bool is_cgroup2(const char *path) {
        struct statfs fs;

        return statfs(path, &fs) >= 0 && (uint64_t) fs.f_type == (uint64_t) CGROUP2_SUPER_MAGIC;
}

/* Where cgroup2 is mounted: $SYSMASTER_CGROUP_MOUNT, /sys/fs/cgroup (unified), or
 * /sys/fs/cgroup/unified (hybrid). -ENOMEDIUM when there is none. */
static int find_cgroup2(char **ret) {
        const char *e = getenv("SYSMASTER_CGROUP_MOUNT");
        const char *found = NULL;
        char *p;

        if (e) {
                if (isempty(e) || streq(e, "none"))
                        return -ENOMEDIUM;
                found = e;
        } else if (is_cgroup2("/sys/fs/cgroup"))
                found = "/sys/fs/cgroup";
        else if (is_cgroup2("/sys/fs/cgroup/unified"))
                found = "/sys/fs/cgroup/unified";
        else
                return -ENOMEDIUM;
        p = strdup(found);
        if (!p)
                return -ENOMEM;
        *ret = p;
        return 0;
}

/* The manager's root: its own cgroup, without a trailing "/init.scope"; "" for the top. */
static int find_root(char **ret) {
        _cleanup_free_ char *p = NULL;
        char *e;
        int r;

        r = pid_get_cgroup(0, &p);
        if (r < 0)
                return r;
        e = endswith(p, "/" INIT_SCOPE);
        if (e)
                *e = 0;
        if (streq(p, "/"))
                p[0] = 0;
        *ret = TAKE_PTR(p);
        return 0;
}

static void warn_no_cgroup(void) {
        static bool warned = false;

        if (!warned)
                log_warning("No cgroup2 hierarchy found, tracking processes by PID only.");
        warned = true;
}

/* Writes "+c" for each delegated controller the cgroup has to its subtree_control. */
static void enable_controllers(const Manager *m, const char *cgroup) {
        _cleanup_free_ char *avail_path = cgroup_fs(m, cgroup, "cgroup.controllers");
        _cleanup_free_ char *ctl_path = cgroup_fs(m, cgroup, "cgroup.subtree_control");
        _cleanup_strv_free_ char **avail = NULL;
        char buf[512], want[128] = "";
        int r;

        if (!avail_path || !ctl_path || read_small(avail_path, buf, sizeof buf) < 0)
                return;
        if (strv_split(buf, " \n", &avail) < 0)
                return;
        for (size_t i = 0; i < ELEMENTSOF(delegated_controllers); i++)
                if (strv_find(avail, delegated_controllers[i])) {
                        strcat(want, want[0] ? " +" : "+");
                        strcat(want, delegated_controllers[i]);
                }
        if (!want[0])
                return;
        r = write_cgroup_file(ctl_path, want);
        if (r < 0)
                log_debug_errno(r, "Failed to enable controllers \"%s\" in %s, ignoring: %m", want, ctl_path);
}

/* Moves us (and PID 1, when it is our parent and shares our cgroup) into <root>/init.scope. */
static int move_to_init_scope(Manager *m) {
        _cleanup_free_ char *scope = NULL, *dir = NULL, *procs = NULL, *mine = NULL, *init = NULL;
        int r;

        scope = strjoin(manager_cgroup_root(m), "/" INIT_SCOPE);
        if (!scope)
                return -ENOMEM;
        dir = cgroup_fs(m, scope, NULL);
        procs = cgroup_fs(m, scope, "cgroup.procs");
        if (!dir || !procs)
                return -ENOMEM;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return log_warning_errno(-errno, "Failed to create cgroup %s: %m", dir);
        (void) pid_get_cgroup(0, &mine);
        /* A restarted manager is there already; a write would still cost a cgroup migration
         * (milliseconds: the kernel waits for an RCU grace period). */
        if (streq_ptr(mine, scope))
                return 0;
        r = write_pid(procs, getpid());
        if (r < 0)
                return log_warning_errno(r, "Failed to move the manager into %s: %m", dir);
        if (getppid() == 1 && mine && pid_get_cgroup(1, &init) >= 0 && streq(init, mine)) {
                r = write_pid(procs, 1);
                if (r < 0)
                        log_debug_errno(r, "Failed to move PID 1 into %s, ignoring: %m", dir);
        }
        return 0;
}

static int on_cgroup_inotify(EventSource *s, int fd, uint32_t revents, void *userdata);

static int setup_inotify(Manager *m) {
        int r;

        if (m->cgroup_inotify_fd > 0)
                return 0;
        /* Kept in init's fd store like the notify socket: after a restart the watches are still
         * there (no inotify_add_watch() per unit), and what changed while no manager ran waits
         * in it as events. */
        m->cgroup_inotify_fd = manager_take_fd(m, "cgroup-inotify");
        m->cgroup_inotify_kept = m->cgroup_inotify_fd >= 0;
        if (m->cgroup_inotify_fd < 0) {
                m->cgroup_inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
                if (m->cgroup_inotify_fd < 0) {
                        m->cgroup_inotify_fd = -1;
                        return log_error_errno(-errno, "Failed to create the cgroup inotify object: %m");
                }
                manager_keep_fds(m, "cgroup-inotify", &m->cgroup_inotify_fd, 1);
        }
        if (!m->event)
                return 0;
        r = event_add_io(m->event, &m->cgroup_inotify_event_source, m->cgroup_inotify_fd, EPOLLIN,
                         on_cgroup_inotify, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the cgroup inotify object: %m");
        (void) event_source_set_description(m->cgroup_inotify_event_source, "cgroup-inotify");
        /* After SIGCHLD and the notify socket (systemd runs its cgroup-empty queue at NORMAL-5),
         * so that a type sees its main process exit before the cgroup runs empty. */
        (void) event_source_set_priority(m->cgroup_inotify_event_source, EVENT_PRIORITY_NORMAL - 5);
        return 0;
}

int manager_setup_cgroup(Manager *m) {
        _cleanup_free_ char *dir = NULL;
        int r;

        if (!m->cgroup_mount) {
                r = find_cgroup2(&m->cgroup_mount);
                if (r == -ENOMEDIUM) {
                        warn_no_cgroup();
                        return 0;
                }
                if (r < 0)
                        return log_error_errno(r, "Failed to look for cgroup2: %m");
        }
        if (!m->cgroup_root) {
                r = find_root(&m->cgroup_root);
                if (r < 0) {
                        log_warning_errno(r, "Failed to find our own cgroup: %m");
                        m->cgroup_mount = mfree(m->cgroup_mount);
                        warn_no_cgroup();
                        return 0;
                }
        }
        dir = cgroup_fs(m, manager_cgroup_root(m), NULL);
        if (!dir)
                return log_oom();
        if (access(dir, F_OK) < 0) {
                /* e.g. a cgroup namespace whose cgroup2 was not mounted inside it */
                log_warning_errno(-errno, "Our cgroup %s is not visible under %s: %m", dir, m->cgroup_mount);
                m->cgroup_mount = mfree(m->cgroup_mount);
                m->cgroup_root = mfree(m->cgroup_root);
                warn_no_cgroup();
                return 0;
        }
        log_debug("Using cgroup2 at %s, root cgroup \"%s\".", m->cgroup_mount, manager_cgroup_root(m));
        if (!m->test_run)
                (void) move_to_init_scope(m);
        enable_controllers(m, manager_cgroup_root(m));
        return setup_inotify(m);
}

void manager_shutdown_cgroup(Manager *m) {
        Unit *u;

        if (!m)
                return;
        while ((u = hashmap_first(m->cgroup_units)))
                unit_release_cgroup(u);
        while ((u = hashmap_first(m->cgroup_inotify_wd_unit)))
                unit_release_cgroup(u);
        m->cgroup_units = hashmap_free(m->cgroup_units);
        m->cgroup_inotify_wd_unit = hashmap_free(m->cgroup_inotify_wd_unit);
        m->cgroup_inotify_event_source = event_source_disable_unref(m->cgroup_inotify_event_source);
        if (m->cgroup_inotify_fd > 0)
                m->cgroup_inotify_fd = safe_close(m->cgroup_inotify_fd);
        m->cgroup_mount = mfree(m->cgroup_mount);
        m->cgroup_root = mfree(m->cgroup_root);
}

/* ---- emptiness --------------------------------------------------------------------------- */

/* 1 populated, 0 not, -errno (-ENOENT: no cgroup.events, as at the top of the hierarchy). */
static int read_populated(const Manager *m, const char *cgroup) {
        _cleanup_free_ char *p = cgroup_fs(m, cgroup, "cgroup.events");
        char buf[256];
        uint64_t v;
        int r;

        if (!p)
                return -ENOMEM;
        r = read_small(p, buf, sizeof buf);
        if (r < 0)
                return r;
        r = keyed_value(buf, "populated", &v);
        if (r < 0)
                return r;
        return v != 0;
}

void unit_check_cgroup_events(Unit *u) {
        int r;

        if (!u->cgroup_path)
                return;
        r = read_populated(u->manager, u->cgroup_path);
        if (r < 0) {
                if (r != -ENOENT)
                        log_unit_debug_errno(u, r, "Failed to read cgroup.events, ignoring: %m");
                return;
        }
        u->cgroup_populated = r;
        if (r > 0)
                return;
        if (UNIT_VTABLE(u)->cgroup_empty)
                UNIT_VTABLE(u)->cgroup_empty(u); /* the type logs it */
        else
                log_unit_debug(u, "Control group is empty.");
}

static void forget_watch(Unit *u) {
        if (u->cgroup_events_wd <= 0)
                return;
        if (hashmap_get(u->manager->cgroup_inotify_wd_unit, PTR_OF_INT(u->cgroup_events_wd)) == u)
                (void) hashmap_remove(u->manager->cgroup_inotify_wd_unit, PTR_OF_INT(u->cgroup_events_wd));
        u->cgroup_events_wd = -1;
}

static int on_cgroup_inotify(EventSource *s, int fd, uint32_t revents, void *userdata) {
        Manager *m = userdata;
        union {
                struct inotify_event ev;
                uint8_t raw[4096];
        } buf;

        (void) s;
        (void) revents;
        for (;;) {
                ssize_t n = read(fd, &buf, sizeof buf);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno != EAGAIN)
                                log_warning_errno(-errno, "Failed to read cgroup inotify events: %m");
                        return 0;
                }
                for (uint8_t *p = buf.raw; p < buf.raw + n;) {
                        struct inotify_event *e = (struct inotify_event *) p;
                        Unit *u;

                        p += sizeof(struct inotify_event) + e->len;
                        if (e->mask & IN_Q_OVERFLOW) {
                                /* events were lost: look at every watched cgroup */
                                HASHMAP_FOREACH(u, m->cgroup_inotify_wd_unit)
                                        unit_check_cgroup_events(u);
                                continue;
                        }
                        u = hashmap_get(m->cgroup_inotify_wd_unit, PTR_OF_INT(e->wd));
                        if (!u)
                                continue;
                        if (e->mask & IN_IGNORED) /* the cgroup was removed */
                                forget_watch(u);
                        else
                                unit_check_cgroup_events(u);
                }
        }
}

static int unit_watch_cgroup(Unit *u) {
        Manager *m = u->manager;
        _cleanup_free_ char *events = NULL;
        int wd, r;

        if (u->cgroup_events_wd > 0 || m->cgroup_inotify_fd <= 0)
                return 0;
        events = cgroup_fs(m, u->cgroup_path, "cgroup.events");
        if (!events)
                return -ENOMEM;
        wd = inotify_add_watch(m->cgroup_inotify_fd, events, IN_MODIFY);
        if (wd < 0)
                return errno == ENOENT ? 0 : -errno; /* the top of the hierarchy has none */
        r = hashmap_ensure_put(&m->cgroup_inotify_wd_unit, &trivial_hash_ops, PTR_OF_INT(wd), u);
        if (r < 0) {
                (void) inotify_rm_watch(m->cgroup_inotify_fd, wd);
                return r == -EEXIST ? -EBUSY : r;
        }
        u->cgroup_events_wd = wd;
        unit_add_to_store_queue(u); /* the record names the watch (unit_restore_cgroup()) */
        return 0;
}

/* ---- realizing and removing -------------------------------------------------------------- */

static int unit_set_cgroup_path(Unit *u, char *path) {
        Unit *other = hashmap_get(u->manager->cgroup_units, path);
        int r;

        if (other && other != u) {
                free(path);
                return -EEXIST;
        }
        r = hashmap_ensure_put(&u->manager->cgroup_units, &string_hash_ops, path, u);
        if (r < 0) {
                free(path);
                return r;
        }
        u->cgroup_path = path;
        return 0;
}

/* mkdir -p of a cgroup below the root; returns 1 if the last directory was created now. */
static int cgroup_mkdir(const Manager *m, const char *cgroup) {
        _cleanup_free_ char *dir = cgroup_fs(m, cgroup, NULL);
        _cleanup_free_ char *parent = NULL;
        int r;

        if (!dir)
                return -ENOMEM;
        if (mkdir(dir, 0755) >= 0)
                return 1;
        if (errno == EEXIST)
                return 0;
        if (errno != ENOENT || isempty(cgroup))
                return -errno;
        r = path_extract_directory(cgroup, &parent);
        if (r < 0)
                return r;
        if (path_equal(parent, "/"))
                parent[0] = 0;
        r = cgroup_mkdir(m, parent);
        if (r < 0)
                return r;
        if (r > 0 && unit_name_to_type(path_basename(parent)) == UNIT_SLICE)
                enable_controllers(m, parent);
        if (mkdir(dir, 0755) >= 0)
                return 1;
        return errno == EEXIST ? 0 : -errno;
}

static int unit_realize_depth(Unit *u, unsigned depth) {
        Manager *m = u->manager;
        bool created;
        Unit *slice;
        int r;

        if (!manager_has_cgroup(m) || !unit_type_has_cgroup(u->type))
                return 0;
        /* the slices above first, so that they are known to the manager as well */
        slice = u->slice ? manager_get_unit(m, u->slice) : NULL;
        if (!slice && u->type != UNIT_SLICE && !unit_has_name(u, ROOT_SLICE))
                slice = manager_get_unit(m, ROOT_SLICE);
        if (slice && slice != u && !slice->cgroup_realized && depth < 64)
                (void) unit_realize_depth(slice, depth + 1);
        if (!u->cgroup_path) {
                char *path = unit_default_cgroup_path(u);
                if (!path)
                        return log_unit_error_errno(u, -ENOMEM, "Failed to determine the cgroup path.");
                r = unit_set_cgroup_path(u, path);
                if (r < 0)
                        return log_unit_error_errno(u, r, "Failed to set the cgroup path: %m");
        }
        r = cgroup_mkdir(m, u->cgroup_path);
        if (r < 0)
                return log_unit_error_errno(u, r, "Failed to create cgroup %s: %m", empty_to_root(u->cgroup_path));
        if (r > 0 && u->type == UNIT_SLICE)
                enable_controllers(m, u->cgroup_path);
        if (r > 0 && u->cgroup_events_wd > 0) {
                /* a new directory under an old path: the old watch is dead (its IN_IGNORED
                 * may still be queued) */
                (void) inotify_rm_watch(m->cgroup_inotify_fd, u->cgroup_events_wd);
                forget_watch(u);
        }
        created = r > 0;
        r = unit_watch_cgroup(u);
        if (r < 0)
                log_unit_warning_errno(u, r, "Failed to watch cgroup %s, ignoring: %m", empty_to_root(u->cgroup_path));
        /* a cgroup made just now has no processes yet */
        u->cgroup_populated = !created && read_populated(m, u->cgroup_path) > 0;
        u->cgroup_realized = true;
        /* ControlGroupId: the cgroup's inode number; kept after the cgroup is gone, as systemd. */
        _cleanup_free_ char *dir = unit_cgroup_fs_path(u);
        struct stat st;
        if (dir && stat(dir, &st) >= 0)
                u->cgroup_id = (uint64_t) st.st_ino;
        return 0;
}

int unit_realize_cgroup(Unit *u) {
        return unit_realize_depth(u, 0);
}

int unit_restore_cgroup(Unit *u, int wd, uint64_t id) {
        Manager *m = u->manager;
        char *path;
        int r;

        if (!manager_has_cgroup(m) || !unit_type_has_cgroup(u->type))
                return 0;
        /* Without the inotify object of the manager before us the watch must be made again. */
        if (wd <= 0 || !m->cgroup_inotify_kept || u->cgroup_realized)
                return unit_realize_cgroup(u);
        if (hashmap_contains(m->cgroup_inotify_wd_unit, PTR_OF_INT(wd)))
                return unit_realize_cgroup(u);
        if (!u->cgroup_path) {
                path = unit_default_cgroup_path(u);
                if (!path)
                        return log_oom();
                r = unit_set_cgroup_path(u, path);
                if (r < 0)
                        return unit_realize_cgroup(u);
        }
        r = hashmap_ensure_put(&m->cgroup_inotify_wd_unit, &trivial_hash_ops, PTR_OF_INT(wd), u);
        if (r < 0)
                return log_oom();
        u->cgroup_events_wd = wd;
        u->cgroup_id = id;
        u->cgroup_realized = true;
        return 0;
}

void unit_release_cgroup(Unit *u) {
        Manager *m = u->manager;

        if (u->cgroup_events_wd > 0) {
                if (m->cgroup_inotify_fd > 0)
                        (void) inotify_rm_watch(m->cgroup_inotify_fd, u->cgroup_events_wd);
                forget_watch(u);
        }
        if (u->cgroup_path) {
                if (hashmap_get(m->cgroup_units, u->cgroup_path) == u)
                        (void) hashmap_remove(m->cgroup_units, u->cgroup_path);
                u->cgroup_path = mfree(u->cgroup_path);
        }
        u->cgroup_realized = false;
        u->cgroup_populated = false;
}

/* rmdir of the cgroup's empty subtree, children first; the cgroup itself if delete_self.
 * Returns 1 when the cgroup is gone, 0 when it is kept, -errno. A leaf (a service's cgroup, most
 * of the time) is removed with one rmdir(): the directory is read only when that fails (EBUSY:
 * it has children, or processes, which the second rmdir() then reports). */
static int cgroup_trim(const Manager *m, const char *dir, bool delete_self, unsigned depth) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r = 0;

        if (delete_self) {
                if (rmdir(dir) >= 0 || errno == ENOENT)
                        return 1;
                if (!IN_SET(errno, EBUSY, ENOTEMPTY))
                        return -errno;
        }
        d = opendir(dir);
        if (!d)
                return errno == ENOENT ? delete_self : -errno;
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && !streq(de->d_name, ".") && !streq(de->d_name, "..")) {
                        _cleanup_free_ char *sub = path_join(dir, de->d_name);
                        int q;
                        if (!sub)
                                return -ENOMEM;
                        q = depth < 256 ? cgroup_trim(m, sub, true, depth + 1) : -ELOOP;
                        if (q < 0 && r == 0)
                                r = q;
                }
        if (!delete_self)
                return r;
        if (rmdir(dir) >= 0 || errno == ENOENT)
                return r < 0 ? r : 1;
        return r < 0 ? r : -errno;
}

void unit_prune_cgroup(Unit *u) {
        Manager *m = u->manager;
        _cleanup_free_ char *dir = NULL;
        bool is_root;
        int r;

        if (!u->cgroup_path || !manager_has_cgroup(m))
                return;
        is_root = unit_has_name(u, ROOT_SLICE) || streq(u->cgroup_path, manager_cgroup_root(m));
        dir = cgroup_fs(m, u->cgroup_path, NULL);
        if (!dir)
                return;
        r = cgroup_trim(m, dir, !is_root, 0);
        if (r < 0)
                log_unit_full(u, r == -EBUSY ? LOG_DEBUG : LOG_WARNING, r,
                              "Failed to destroy cgroup %s, ignoring: %m", empty_to_root(u->cgroup_path));
        if (is_root)
                return;
        /* keep tracking a cgroup that still has processes: they are still the unit's */
        if (r <= 0 && unit_cgroup_is_empty(u) == 0)
                return;
        unit_release_cgroup(u);
}

/* ---- processes --------------------------------------------------------------------------- */

static int read_pid_line(FILE *f, pid_t *ret) {
        unsigned long v;

        errno = 0;
        if (fscanf(f, "%lu", &v) != 1)
                return feof(f) ? 0 : (errno > 0 ? -errno : -EBADMSG);
        if (v == 0 || v > INT32_MAX)
                return -EBADMSG;
        *ret = (pid_t) v;
        return 1;
}

/* Calls fn for every cgroup directory of the tree at cgroup (parents first). */
typedef int (*CgroupVisit)(const Manager *m, const char *cgroup, void *userdata);

static int cgroup_walk(const Manager *m, const char *cgroup, CgroupVisit fn, void *userdata, unsigned depth) {
        _cleanup_free_ char *dir = cgroup_fs(m, cgroup, NULL);
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r;

        if (!dir)
                return -ENOMEM;
        r = fn(m, cgroup, userdata);
        if (r < 0)
                return r;
        d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && !streq(de->d_name, ".") && !streq(de->d_name, "..")) {
                        _cleanup_free_ char *sub = strjoin(cgroup, "/", de->d_name);
                        if (!sub)
                                return -ENOMEM;
                        if (depth >= 256)
                                return -ELOOP;
                        r = cgroup_walk(m, sub, fn, userdata, depth + 1);
                        if (r < 0)
                                return r;
                }
        return 0;
}

typedef struct KillState {
        int sig;
        bool sigcont;
        const pid_t *except;
        size_t n_except;
        Hashmap *seen;   /* pids already signalled (or tried) */
        pid_t self;
        int n_killed;
        int error;
} KillState;

static bool kill_skip(const KillState *k, pid_t pid) {
        if (pid == k->self || pid == 1)
                return true;
        for (size_t i = 0; i < k->n_except; i++)
                if (k->except[i] == pid)
                        return true;
        return hashmap_contains(k->seen, PTR_OF_INT(pid));
}

/* Signals the processes of one cgroup, re-reading cgroup.procs until no new one shows up (a
 * process may fork while we go through the list). */
static int kill_one_cgroup(const Manager *m, const char *cgroup, void *userdata) {
        _cleanup_free_ char *procs = cgroup_fs(m, cgroup, "cgroup.procs");
        KillState *k = userdata;
        bool again = true;

        if (!procs)
                return -ENOMEM;
        while (again) {
                _cleanup_fclose_ FILE *f = fopen(procs, "re");
                pid_t pid;
                int r;

                if (!f)
                        return errno == ENOENT ? 0 : -errno;
                again = false;
                while ((r = read_pid_line(f, &pid)) > 0) {
                        if (kill_skip(k, pid))
                                continue;
                        r = hashmap_ensure_put(&k->seen, &trivial_hash_ops, PTR_OF_INT(pid), PTR_OF_INT(pid));
                        if (r < 0)
                                return r;
                        again = true;
                        if (kill(pid, k->sig) < 0) {
                                if (errno != ESRCH && k->error == 0)
                                        k->error = -errno;
                                continue;
                        }
                        k->n_killed++;
                        if (k->sigcont)
                                (void) kill(pid, SIGCONT);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_cgroup_kill(Unit *u, int sig, bool send_sigcont, const pid_t *except, size_t n_except) {
        KillState k = {
                .sig = sig,
                /* SIGKILL works on stopped processes, and SIGCONT twice is pointless */
                .sigcont = send_sigcont && !IN_SET(sig, SIGCONT, SIGKILL),
                .except = except,
                .n_except = n_except,
                .self = getpid(),
        };
        int r;

        if (!u->cgroup_path || !manager_has_cgroup(u->manager))
                return -ENODATA;
        r = cgroup_walk(u->manager, u->cgroup_path, kill_one_cgroup, &k, 0);
        hashmap_free(k.seen);
        if (r < 0)
                return r;
        if (k.n_killed == 0 && k.error < 0)
                return k.error;
        return k.n_killed;
}

typedef struct PidList {
        pid_t *pids;
        size_t n, allocated;
        char **paths;
        bool want_paths;
} PidList;

static int collect_one_cgroup(const Manager *m, const char *cgroup, void *userdata) {
        _cleanup_free_ char *procs = cgroup_fs(m, cgroup, "cgroup.procs");
        _cleanup_fclose_ FILE *f = NULL;
        PidList *l = userdata;
        pid_t pid;
        int r;

        if (!procs)
                return -ENOMEM;
        f = fopen(procs, "re");
        if (!f)
                return errno == ENOENT ? 0 : -errno;
        while ((r = read_pid_line(f, &pid)) > 0) {
                if (!GREEDY_REALLOC(l->pids, l->allocated, l->n + 1))
                        return -ENOMEM;
                if (l->want_paths && strv_extend(&l->paths, empty_to_root(cgroup)) < 0)
                        return -ENOMEM;
                l->pids[l->n++] = pid;
        }
        return r;
}

int unit_cgroup_pids(Unit *u, pid_t **ret, char ***ret_paths, size_t *ret_n) {
        PidList l = { .want_paths = ret_paths != NULL };
        int r;

        if (!u->cgroup_path || !manager_has_cgroup(u->manager))
                return -ENODATA;
        r = cgroup_walk(u->manager, u->cgroup_path, collect_one_cgroup, &l, 0);
        if (r < 0) {
                free(l.pids);
                strv_free(l.paths);
                return r;
        }
        if (ret_paths && !l.paths) {
                l.paths = new0(char *, 1);
                if (!l.paths) {
                        free(l.pids);
                        return -ENOMEM;
                }
        }
        *ret = l.pids;
        if (ret_paths)
                *ret_paths = l.paths;
        *ret_n = l.n;
        return 0;
}

static int check_empty_one(const Manager *m, const char *cgroup, void *userdata) {
        _cleanup_free_ char *procs = cgroup_fs(m, cgroup, "cgroup.procs");
        _cleanup_fclose_ FILE *f = NULL;
        pid_t pid;
        int r;

        (void) userdata;
        if (!procs)
                return -ENOMEM;
        f = fopen(procs, "re");
        if (!f)
                return errno == ENOENT ? 0 : -errno;
        r = read_pid_line(f, &pid);
        if (r < 0)
                return r;
        return r > 0 ? -EBUSY : 0;
}

int unit_cgroup_is_empty(Unit *u) {
        _cleanup_free_ char *dir = NULL;
        int r;

        if (!u->cgroup_path || !manager_has_cgroup(u->manager))
                return -ENODATA;
        r = read_populated(u->manager, u->cgroup_path);
        if (r >= 0)
                return !r;
        if (r != -ENOENT)
                return r;
        /* no cgroup.events: the top of the hierarchy, or the cgroup is gone */
        dir = cgroup_fs(u->manager, u->cgroup_path, NULL);
        if (!dir)
                return -ENOMEM;
        if (access(dir, F_OK) < 0)
                return errno == ENOENT ? 1 : -errno;
        r = cgroup_walk(u->manager, u->cgroup_path, check_empty_one, NULL, 0);
        if (r == -EBUSY)
                return 0;
        return r < 0 ? r : 1;
}

Unit *manager_get_unit_by_cgroup_pid(Manager *m, pid_t pid) {
        _cleanup_free_ char *p = NULL;

        if (!manager_has_cgroup(m) || pid <= 0 || hashmap_isempty(m->cgroup_units))
                return NULL;
        if (pid_get_cgroup(pid, &p) < 0)
                return NULL;
        /* the longest registered prefix */
        for (;;) {
                char *slash;
                Unit *u;

                if (streq(p, "/"))
                        p[0] = 0;
                u = hashmap_get(m->cgroup_units, p);
                if (u)
                        return u;
                slash = strrchr(p, '/');
                if (!slash)
                        return NULL;
                *slash = 0;
        }
}

/* ---- accounting -------------------------------------------------------------------------- */

static uint64_t unit_read_keyed(Unit *u, const char *file, const char *key) {
        _cleanup_free_ char *p = NULL;
        char buf[1024];
        uint64_t v;

        if (!u->cgroup_path || !manager_has_cgroup(u->manager))
                return UINT64_MAX;
        p = cgroup_fs(u->manager, u->cgroup_path, file);
        if (!p || read_small(p, buf, sizeof buf) < 0)
                return UINT64_MAX;
        if (!key) {
                char *end;
                errno = 0;
                v = strtoull(buf, &end, 10);
                return errno != 0 || end == buf ? UINT64_MAX : v;
        }
        return keyed_value(buf, key, &v) < 0 ? UINT64_MAX : v;
}

uint64_t unit_get_memory_current(Unit *u) {
        return unit_read_keyed(u, "memory.current", NULL);
}

uint64_t unit_get_tasks_current(Unit *u) {
        return unit_read_keyed(u, "pids.current", NULL);
}

uint64_t unit_get_cpu_usage_nsec(Unit *u) {
        uint64_t v = unit_read_keyed(u, "cpu.stat", "usage_usec");

        if (v == UINT64_MAX || v > UINT64_MAX / 1000)
                return UINT64_MAX;
        return v * 1000;
}

/* ---- Added by the bus-api module (transient scopes) ---- */

int unit_cgroup_attach_pids(Unit *u, const pid_t *pids, size_t n_pids) {
        _cleanup_free_ char *procs = NULL;
        int r, ret = 0;

        if (!manager_has_cgroup(u->manager))
                return -EOPNOTSUPP;
        r = unit_realize_cgroup(u);
        if (r < 0)
                return r;
        if (!u->cgroup_path)
                return -EOPNOTSUPP;
        procs = cgroup_fs(u->manager, u->cgroup_path, "cgroup.procs");
        if (!procs)
                return -ENOMEM;
        for (size_t i = 0; i < n_pids; i++) {
                r = write_pid(procs, pids[i]);
                if (r < 0) {
                        log_unit_warning_errno(u, r, "Failed to move process %d into %s: %m", (int) pids[i],
                                               empty_to_root(u->cgroup_path));
                        if (ret == 0)
                                ret = r;
                }
        }
        r = read_populated(u->manager, u->cgroup_path);
        if (r >= 0)
                u->cgroup_populated = r > 0;
        return ret;
}
